/**
 * The layer rules of DESIGN.md §1, enforced by scanning the sources: every import, re-export,
 * dynamic `import()`, `require()` and `new URL(…, import.meta.url)` of a file under src/ must be an
 * allowed edge, and core must not name host globals. The per-layer tsconfigs catch most global
 * misuse already; this test catches the imports a tsconfig cannot see (a core file importing
 * `../storage/…` type-checks fine).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const LAYERS = ['core', 'storage', 'platform', 'worker', 'ui', 'cli', 'sw'] as const;
type Layer = (typeof LAYERS)[number];

interface LayerRule {
  /** Layers whose files may be imported (the layer itself is always allowed). */
  readonly layers: readonly Layer[];
  /** Single modules of other layers, as `layer/path` without extension. */
  readonly modules?: readonly string[];
  /** Bare specifiers: a package name (its subpaths are allowed too) or a pattern on the whole specifier. */
  readonly packages: readonly (string | RegExp)[];
  /** Node built-ins (`node:fs`, `fs`). */
  readonly node?: boolean;
}

/** The table of DESIGN.md §1. Change it together with that table. */
export const RULES: Readonly<Record<Layer, LayerRule>> = {
  core: { layers: [], packages: ['fflate'] },
  storage: { layers: ['core'], packages: ['idb'] },
  // Argon2id (hash-wasm) lives in the platform crypto host.
  platform: { layers: ['core'], packages: ['hash-wasm'] },
  worker: { layers: ['core', 'storage', 'platform'], packages: ['comlink', 'fflate'] },
  ui: {
    layers: [],
    modules: ['worker/client', 'worker/protocol'],
    packages: ['solid-js', 'workbox-window', /^virtual:pwa-register/],
  },
  cli: { layers: ['core', 'platform'], packages: [], node: true },
  sw: { layers: [], packages: [/^workbox-/, /^virtual:/] },
};

/** Globals core must not touch: it gets the host through its ports. */
const CORE_FORBIDDEN_GLOBALS = ['window', 'document', 'indexedDB', 'navigator', 'process', 'Buffer', 'require'];

export interface SourceFile {
  /** Path relative to the repository root, with forward slashes, e.g. `src/core/format/ids.ts`. */
  readonly path: string;
  readonly text: string;
}

export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

// ---------------------------------------------------------------------------------------------
// A small lexer: blank out comments (for import scanning) and also literal text (for the
// globals scan), keeping every offset and newline so positions map back to the source.

const KEYWORDS_BEFORE_REGEX = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
]);
const PUNCTUATION_BEFORE_REGEX = '(,=:[!&|?{};+-*%<>~^';

interface Scrubbed {
  /** Comments blanked; everything else as written. */
  readonly code: string;
  /** Comments and the text of string, template and regex literals blanked; delimiters kept. */
  readonly bare: string;
}

export function scrub(source: string): Scrubbed {
  const code: string[] = [];
  const bare: string[] = [];
  const n = source.length;
  const templateDepths: number[] = [];
  let braces = 0;
  let lastChar = '';
  let lastWord = '';
  let i = 0;

  const keep = (c: string): void => {
    code.push(c);
    bare.push(c);
  };
  const literal = (c: string): void => {
    code.push(c);
    bare.push(c === '\n' ? '\n' : ' ');
  };
  const comment = (c: string): void => {
    const b = c === '\n' ? '\n' : ' ';
    code.push(b);
    bare.push(b);
  };

  /** Template text from after the opening backtick (or a closing `}`) up to its end or `${`. */
  const templateText = (): void => {
    while (i < n) {
      const c = source[i]!;
      if (c === '\\') {
        literal(c);
        if (i + 1 < n) literal(source[i + 1]!);
        i += 2;
      } else if (c === '`') {
        keep(c);
        i++;
        lastChar = '`';
        lastWord = '';
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        keep('$');
        keep('{');
        i += 2;
        templateDepths.push(braces);
        lastChar = '{';
        lastWord = '';
        return;
      } else {
        literal(c);
        i++;
      }
    }
  };

  while (i < n) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && source[i] !== '\n') comment(source[i++]!);
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      while (i < stop) comment(source[i++]!);
    } else if (c === '"' || c === "'") {
      keep(c);
      i++;
      while (i < n && source[i] !== c && source[i] !== '\n') {
        if (source[i] === '\\' && i + 1 < n) literal(source[i++]!);
        literal(source[i++]!);
      }
      if (source[i] === c) keep(source[i++]!);
      lastChar = c;
      lastWord = '';
    } else if (c === '`') {
      keep(c);
      i++;
      templateText();
    } else if (c === '/') {
      const regex = lastWord ? KEYWORDS_BEFORE_REGEX.has(lastWord) : lastChar === '' || PUNCTUATION_BEFORE_REGEX.includes(lastChar);
      keep(c);
      i++;
      if (regex) {
        let inClass = false;
        while (i < n && source[i] !== '\n') {
          const r = source[i]!;
          if (r === '\\' && i + 1 < n) {
            literal(r);
            literal(source[i + 1]!);
            i += 2;
            continue;
          }
          if (r === '/' && !inClass) break;
          if (r === '[') inClass = true;
          if (r === ']') inClass = false;
          literal(r);
          i++;
        }
        if (source[i] === '/') keep(source[i++]!);
        lastChar = '/';
        lastWord = 'a regex'; // a value: a following `/` divides
      } else {
        lastChar = '/';
        lastWord = '';
      }
    } else if (/[\w$]/.test(c)) {
      let word = '';
      while (i < n && /[\w$]/.test(source[i]!)) word += source[i++]!;
      for (const w of word) keep(w);
      lastChar = word[word.length - 1]!;
      lastWord = word;
    } else {
      if (c === '}' && templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === braces) {
        templateDepths.pop();
        keep(c);
        i++;
        templateText();
        continue;
      }
      if (c === '{') braces++;
      if (c === '}') braces--;
      keep(c);
      i++;
      if (!/\s/.test(c)) {
        lastChar = c;
        lastWord = '';
      }
    }
  }
  return { code: code.join(''), bare: bare.join('') };
}

// ---------------------------------------------------------------------------------------------
// Specifiers

export interface ModuleReference {
  readonly specifier: string;
  readonly offset: number;
}

/** The string literal whose opening quote is at `offset` in `code`, or undefined if it is not a plain literal. */
function literalAt(code: string, offset: number): string | undefined {
  const quote = code[offset];
  let value = '';
  for (let i = offset + 1; i < code.length; i++) {
    const c = code[i]!;
    if (c === quote) return value;
    if (c === '\n' || (quote === '`' && c === '$' && code[i + 1] === '{')) return undefined;
    if (c === '\\') {
      value += code[++i] ?? '';
      continue;
    }
    value += c;
  }
  return undefined;
}

const REFERENCE_PATTERNS: readonly RegExp[] = [
  /(?<![.\w$])from\s*(['"])/g, // import … from 'x', export … from 'x'
  /(?<![.\w$])import\s*(['"])/g, // import 'x'
  /(?<![.\w$])import\s*\(\s*(['"`])/g, // import('x')
  /(?<![.\w$])require\s*\(\s*(['"`])/g, // require('x'), import x = require('x')
  /(?<![.\w$])new\s+URL\s*\(\s*(['"`])(?=[^\n]*?,\s*import\.meta\.url)/g, // new URL('x', import.meta.url)
];

export function moduleReferences(text: string): ModuleReference[] {
  const { code, bare } = scrub(text);
  const found: ModuleReference[] = [];
  for (const pattern of REFERENCE_PATTERNS) {
    for (const match of bare.matchAll(pattern)) {
      const quoteOffset = match.index + match[0].length - 1;
      const specifier = literalAt(code, quoteOffset);
      if (specifier !== undefined) found.push({ specifier, offset: match.index });
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}

// ---------------------------------------------------------------------------------------------
// Rules

function layerOf(path: string): Layer | undefined {
  const [top, layer] = path.split('/');
  if (top !== 'src') return undefined;
  return LAYERS.find((l) => l === layer);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(packageName(specifier));
}

/** Why `specifier` in a file of `layer` at `path` is forbidden, or undefined when it is allowed. */
function checkReference(layer: Layer, path: string, rawSpecifier: string): string | undefined {
  const specifier = rawSpecifier.replace(/[?#].*$/, ''); // vite queries: ./x?worker, ./y?url
  const rule = RULES[layer];
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    if (specifier.startsWith('/')) return `absolute import '${rawSpecifier}'`;
    const target = posix.normalize(posix.join(posix.dirname(path), specifier));
    const targetLayer = layerOf(target);
    if (!targetLayer) return `'${rawSpecifier}' reaches outside the layer folders (${target})`;
    if (targetLayer === layer || rule.layers.includes(targetLayer)) return undefined;
    const module = target.slice('src/'.length).replace(/\.(d\.)?[mc]?[jt]sx?$/, '');
    if (rule.modules?.includes(module)) return undefined;
    return `${layer} must not import ${targetLayer} ('${rawSpecifier}')`;
  }
  const allowed = rule.packages.some((p) => (typeof p === 'string' ? p === packageName(specifier) : p.test(specifier)));
  if (allowed) return undefined;
  if (rule.node && isNodeBuiltin(specifier)) return undefined;
  return `${layer} must not import package '${rawSpecifier}'`;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

const GLOBALS_PATTERN = new RegExp(`\\b(${CORE_FORBIDDEN_GLOBALS.join('|')})\\b`, 'g');

/** Uses of host globals in core source: property names (`x.window`) and object keys (`{ window: 1 }`) are not uses. */
export function forbiddenGlobals(text: string): { name: string; offset: number }[] {
  const { bare } = scrub(text);
  const found: { name: string; offset: number }[] = [];
  for (const match of bare.matchAll(GLOBALS_PATTERN)) {
    const before = bare.slice(0, match.index);
    const after = bare.slice(match.index + match[0].length);
    const property = /\??\.\s*$/.test(before) && !/\bglobalThis\s*\??\.\s*$/.test(before);
    const key = /^\s*\??:(?!:)/.test(after) && /[{,(]\s*$/.test(before);
    if (!property && !key) found.push({ name: match[0], offset: match.index });
  }
  return found;
}

/** Checks a set of sources against the layer table and the purity rule for core. */
export function checkArchitecture(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const layer = layerOf(file.path);
    if (!layer) {
      violations.push({ file: file.path, line: 1, message: `not inside a layer folder (src/{${LAYERS.join(',')}}/)` });
      continue;
    }
    for (const ref of moduleReferences(file.text)) {
      const why = checkReference(layer, file.path, ref.specifier);
      if (why) violations.push({ file: file.path, line: lineOf(file.text, ref.offset), message: why });
    }
    if (layer === 'core') {
      for (const use of forbiddenGlobals(file.text)) {
        violations.push({ file: file.path, line: lineOf(file.text, use.offset), message: `core must not use the global '${use.name}'` });
      }
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(): SourceFile[] {
  const entries = readdirSync(`${ROOT}src`, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.(tsx?|mts|cts)$/.test(e.name))
    .map((e) => {
      const full = posix.join(e.parentPath.split('\\').join('/'), e.name);
      const path = posix.relative(ROOT.split('\\').join('/'), full);
      return { path, text: readFileSync(full, 'utf8') };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

const format = (v: Violation): string => `${v.file}:${v.line}: ${v.message}`;

describe('architecture (DESIGN.md §1)', () => {
  const files = sourceFiles();

  test('finds the sources', () => {
    expect(files.some((f) => f.path.startsWith('src/core/'))).toBe(true);
  });

  test('every import is an allowed edge between layers', () => {
    const violations = checkArchitecture(files).filter((v) => !v.message.startsWith('core must not use'));
    expect(violations.map(format)).toEqual([]);
  });

  test('core uses no host globals', () => {
    const violations = checkArchitecture(files).filter((v) => v.message.startsWith('core must not use'));
    expect(violations.map(format)).toEqual([]);
  });
});

describe('architecture checker (self-test)', () => {
  const check = (path: string, text: string): string[] => checkArchitecture([{ path, text }]).map(format);

  test('catches forbidden edges of every kind', () => {
    const files: SourceFile[] = [
      { path: 'src/core/format/a.ts', text: "import { x } from '../../storage/idb-backend';\n" },
      { path: 'src/core/format/b.ts', text: "export * from '../../platform/webcrypto-host.js';\n" },
      { path: 'src/core/c.ts', text: "import type { T } from '../worker/protocol';\n" },
      { path: 'src/core/d.ts', text: "import { argon2id } from 'hash-wasm';\n" },
      { path: 'src/core/e.ts', text: "const fs = await import('node:fs');\n" },
      { path: 'src/core/f.ts', text: "const w = new URL('../storage/x.ts', import.meta.url);\n" },
      { path: 'src/storage/g.ts', text: "import { y } from '../platform/fsa-source';\n" },
      { path: 'src/platform/h.ts', text: "import { openDB } from 'idb';\n" },
      { path: 'src/ui/i.tsx', text: "import { api } from '../worker/api';\n" },
      { path: 'src/ui/j.tsx', text: "import type { Snapshot } from '../core/model/snapshot';\n" },
      { path: 'src/ui/k.tsx', text: "import { wrap } from 'comlink';\n" },
      { path: 'src/cli/l.ts', text: "import { NodeBackend } from '../storage/memory-backend';\n" },
      { path: 'src/sw/m.ts', text: "import { ENGINE_VERSION } from '../core/version';\n" },
      { path: 'src/worker/n.ts', text: "import { App } from '../ui/App';\n" },
      { path: 'src/worker/o.ts', text: "import x from '../../test/helpers';\n" },
      { path: 'src/shared/p.ts', text: 'export const z = 1;\n' },
    ];
    const violations = checkArchitecture(files);
    expect(violations.map((v) => v.file)).toEqual(files.map((f) => f.path));
  });

  test('allows the edges of the table', () => {
    const files: SourceFile[] = [
      { path: 'src/core/a.ts', text: "import { deflateSync } from 'fflate';\nimport type { Host } from './ports/host';\n" },
      { path: 'src/storage/b.ts', text: "import { openDB } from 'idb';\nimport type { Backend } from '../core/ports/backend';\n" },
      { path: 'src/platform/c.ts', text: "import { argon2id } from 'hash-wasm';\nimport type { Host } from '../core/ports/host';\n" },
      {
        path: 'src/worker/d.ts',
        text: "import * as Comlink from 'comlink';\nimport '../storage/b';\nimport '../platform/c';\nimport '../core/a';\nimport W from './entry?worker';\n",
      },
      {
        path: 'src/ui/e.tsx',
        text:
          "import { render } from 'solid-js/web';\nimport { createSignal } from 'solid-js';\nimport { Workbox } from 'workbox-window';\n" +
          "import { registerSW } from 'virtual:pwa-register';\nimport { client } from '../worker/client';\nimport type { Api } from '../worker/protocol.ts';\nimport './styles.css';\n",
      },
      {
        path: 'src/cli/f.ts',
        text: "import { readFile } from 'node:fs/promises';\nimport path from 'path';\nimport { backup } from '../core/operations/backup';\nimport { host } from '../platform/c';\n",
      },
      { path: 'src/sw/g.ts', text: "import { precacheAndRoute } from 'workbox-precaching';\n" },
    ];
    expect(checkArchitecture(files).map(format)).toEqual([]);
  });

  test('ignores imports in comments and strings, but not after tricky literals', () => {
    expect(check('src/core/a.ts', "// import x from '../storage/a';\n/* export * from '../ui/App' */\n")).toEqual([]);
    expect(check('src/core/b.ts', "const s = \"copy from '../storage/a'\";\nconst t = `import('../ui/x')`;\n")).toEqual([]);
    expect(check('src/core/c.ts', "const r = /['\"]/;\nconst u = 'http://x';\nimport x from '../storage/a';\n")).toEqual([
      "src/core/c.ts:3: core must not import storage ('../storage/a')",
    ]);
    expect(check('src/core/d.ts', 'const q = a / b / c;\nexport { y } from "../storage/b";\n')).toEqual([
      `src/core/d.ts:2: core must not import storage ('../storage/b')`,
    ]);
    expect(check('src/core/e.ts', "import {\n  a,\n  b,\n} from '../worker/protocol';\n")).toEqual([
      "src/core/e.ts:4: core must not import worker ('../worker/protocol')",
    ]);
  });

  test('catches host globals in core, ignoring comments, strings, properties and keys', () => {
    expect(check('src/core/a.ts', 'export const w = window.crypto;\n')).toEqual(["src/core/a.ts:1: core must not use the global 'window'"]);
    expect(check('src/core/b.ts', 'const x = 1;\nconst e = `${process.env.HOME}`;\n')).toEqual([
      "src/core/b.ts:2: core must not use the global 'process'",
    ]);
    expect(check('src/core/c.ts', 'const b = globalThis.Buffer;\nconst f = require;\n')).toEqual([
      "src/core/c.ts:1: core must not use the global 'Buffer'",
      "src/core/c.ts:2: core must not use the global 'require'",
    ]);
    expect(check('src/core/d.ts', 'if (typeof navigator !== "undefined") {}\nconst db = indexedDB;\nconst d = document;\n')).toHaveLength(3);
    const clean = [
      '// uses window and document? never',
      "/** process, Buffer, require: not here */",
      "throw new Error('the process window is required');",
      'const n = options.window + state.process;',
      'const o = { window: 64, navigator: 1 };',
      'function f(window: number): number { return 0; }',
      'const buf = new ArrayBuffer(8); const required = true; const WINDOW = 1;',
    ].join('\n');
    expect(check('src/core/e.ts', clean)).toEqual([]);
  });

  test('does not check globals outside core', () => {
    expect(check('src/platform/a.ts', 'export const w = window.crypto; const p = process;\n')).toEqual([]);
  });
});
