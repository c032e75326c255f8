import { CairnError } from '../errors';

/**
 * Recovery keys as words: 16 random bytes (128 bits) plus one checksum byte, each byte one word
 * of this list of 256 (alphabetical, every word unique in its first four letters, so typing the
 * first four letters is enough). Part of format v1 only in that the recovery key file's
 * passphrase is the normalized words joined by single spaces; see docs/format.md §keys.
 */
export const RECOVERY_WORDS: readonly string[] = `
acid acorn actor adapt agent alarm album alert alley amber ample angle ankle anvil apple april 
apron arena argue armor arrow atlas atom attic audio autumn avoid award bacon badge bagel baker 
bamboo banjo barrel basil basket beach beard beetle bench berry birch bison blanket blossom board 
bonus border bottle bounce bracket branch bread breeze brick bridge broom bubble bucket bugle 
button cabin cactus camel canal candle canoe canyon carbon carpet carrot castle cattle cedar cello 
cement cereal chalk cheese cherry chess cider cinema circus citrus clam claw clever cliff clock 
cloud clover cobalt coconut coffee comet copper coral cotton cousin cradle crane crayon crystal 
curtain cushion dagger daisy dance dawn delta denim desert diamond dinner dolphin donkey dragon 
drawer dream drum eagle easel echo eclipse elbow elder ember emerald engine falcon fabric feather 
fence ferry fiddle figure filter finch flame flannel flute forest fossil fox frame frost galaxy 
garden garlic gazelle gecko ginger glacier globe glove goblet goose granite grape gravel guitar 
hammer harbor harvest hazel helmet heron hockey honey hornet iceberg igloo index island ivory 
jacket jaguar jelly jewel jigsaw journal jungle kayak kettle kitten koala ladder lagoon lantern 
laptop lemon lentil lettuce lilac linen lizard locket lotus lumber magnet mango maple marble meadow 
melon mirror mitten monkey muffin mustard napkin nectar needle nickel noodle nutmeg oasis ocean 
olive onion orbit orchid otter oyster paddle palace panda paper parrot pebble pelican pencil pepper 
piano pickle pigeon pillow planet plum pocket pony poppy potato pumpkin puzzle quartz quilt rabbit 
radish raven ribbon river robin rocket
`.trim().split(/\s+/);

export const RECOVERY_KEY_BYTES = 16;

/** The checksum byte: a simple position-weighted sum (catches a wrong or swapped word). */
function checksum(bytes: Uint8Array): number {
  let sum = 0;
  bytes.forEach((b, i) => (sum = (sum + b * (i + 1)) % 251));
  return sum;
}

/** 16 random bytes → 17 words (the last a checksum). */
export function encodeRecoveryWords(bytes: Uint8Array): string[] {
  if (bytes.length !== RECOVERY_KEY_BYTES) throw new Error('a recovery key is 16 bytes');
  return [...bytes, checksum(bytes)].map((b) => RECOVERY_WORDS[b]!);
}

/**
 * Reads typed words back (any case, extra spaces or dashes, a word's first four letters) and
 * returns the normalized passphrase; a wrong word or checksum throws 'invalid-input' naming it.
 */
export function normalizeRecoveryWords(text: string): string {
  const typed = text.toLowerCase().split(/[\s,.-]+/).filter(Boolean);
  if (typed.length !== RECOVERY_KEY_BYTES + 1) {
    throw new CairnError('invalid-input', `a recovery key has ${RECOVERY_KEY_BYTES + 1} words; ${typed.length} were given`);
  }
  const bytes = typed.map((w, i) => {
    const index = RECOVERY_WORDS.findIndex((x) => x === w || (w.length >= 4 && x.startsWith(w)));
    if (index < 0) throw new CairnError('invalid-input', `word ${i + 1} ("${w}") is not a recovery word`);
    return index;
  });
  const key = Uint8Array.from(bytes.slice(0, RECOVERY_KEY_BYTES));
  if (checksum(key) !== bytes[RECOVERY_KEY_BYTES]) throw new CairnError('invalid-input', 'the recovery words do not check out: a word is wrong or two are swapped');
  return encodeRecoveryWords(key).join(' ');
}

/** True when the text looks like a recovery key (17 words of the list), not a passphrase. */
export function looksLikeRecoveryWords(text: string): boolean {
  try {
    normalizeRecoveryWords(text);
    return true;
  } catch {
    return false;
  }
}
