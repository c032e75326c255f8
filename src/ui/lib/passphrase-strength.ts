/** A rough, honest strength hint for a passphrase. Not a guarantee: it cannot know your habits. */
export interface StrengthHint {
  /** 0 (too short) … 4 (very strong). */
  readonly score: 0 | 1 | 2 | 3 | 4;
  readonly label: string;
  readonly advice: string;
}

const COMMON = ['password', 'passwort', '123456', 'qwerty', 'letmein', 'iloveyou', 'admin', 'welcome', 'cairn', 'backup'];

/** Estimates strength from length, character variety and obvious patterns. */
export function passphraseStrength(p: string): StrengthHint {
  if (p.length < 8) {
    return { score: 0, label: 'Too short', advice: 'Use at least 8 characters. Several unrelated words are easiest to remember.' };
  }
  let pool = 0;
  if (/[a-z]/.test(p)) pool += 26;
  if (/[A-Z]/.test(p)) pool += 26;
  if (/[0-9]/.test(p)) pool += 10;
  if (/[^A-Za-z0-9]/.test(p)) pool += 33;
  let bits = p.length * Math.log2(Math.max(pool, 2));
  const lower = p.toLowerCase();
  if (COMMON.some((w) => lower.includes(w))) bits -= 25;
  if (/(.)\1\1/.test(p)) bits -= 10;
  if (/^(?:[a-z]+|[0-9]+)$/i.test(p) && p.length < 12) bits -= 10;
  const words = p.trim().split(/[\s\-_.]+/).filter((w) => w.length >= 3).length;
  if (words >= 4) bits += 10;
  if (bits < 45) return { score: 1, label: 'Weak', advice: 'Easy to guess. Add more words or characters.' };
  if (bits < 65) return { score: 2, label: 'Fair', advice: 'Getting there. One or two more words would make it much stronger.' };
  if (bits < 85) return { score: 3, label: 'Strong', advice: 'Good. Make sure you will remember it.' };
  return { score: 4, label: 'Very strong', advice: 'Excellent. Make sure you will remember it.' };
}
