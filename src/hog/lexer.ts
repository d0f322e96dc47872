/**
 * The Hog scanner. `tokenize` turns source text into tokens and never throws:
 * anything it cannot read becomes an `Error` token carrying a message, which the parser reports.
 *
 * The scanner keeps a small stack of modes, so f-strings can hold whole expressions:
 *   - `code`: ordinary Hog. Inside an f-string hole it counts braces, and the `}` that balances the
 *     hole's `{` ends the hole.
 *   - `fstring`: the text of `f'…'` between holes.
 *   - `template`: the text of an input template (`parseTemplate`), which ends only at end of input.
 *   - `tagHeader` / `tagBody`: a HogQLX tag `<name attr='x' b={e}>text {e} <child/></name>`. A `<`
 *     directly followed by a name starts a tag only where a value cannot end (`return <a/>`, not
 *     `a <b`), so comparisons are unaffected.
 */
import { KEYWORDS, type Token, type TokenType } from './tokens.js';

type Mode =
  | { kind: 'code'; hole: boolean; braces: number }
  | { kind: 'fstring'; line: number; column: number; offset: number }
  | { kind: 'template' }
  | { kind: 'tagHeader'; line: number; column: number; offset: number }
  | { kind: 'tagBody'; line: number; column: number; offset: number };

interface Scanner {
  src: string;
  start: number;
  startLine: number;
  startColumn: number;
  current: number;
  line: number;
  lineStart: number;
  modes: Mode[];
  /** The type of the last token produced, for `.5` versus `a.1`. */
  previous: TokenType | null;
  previousLexeme: string;
}

export interface TokenizeOptions {
  /** Scan `source` as an input template: free text with `{expr}` holes. */
  template?: boolean;
}

/** Every token of `source`, ending with one `EOF` token. */
export function tokenize(source: string, options: TokenizeOptions = {}): Token[] {
  const s = createScanner(source, options.template === true);
  const tokens: Token[] = [];
  for (;;) {
    const token = scanToken(s);
    tokens.push(token);
    s.previous = token.type;
    s.previousLexeme = token.lexeme;
    if (token.type === 'EOF') return tokens;
  }
}

function createScanner(src: string, template: boolean): Scanner {
  const base: Mode = template ? { kind: 'template' } : { kind: 'code', hole: false, braces: 0 };
  return { src, start: 0, startLine: 1, startColumn: 1, current: 0, line: 1, lineStart: 0, modes: [base], previous: null, previousLexeme: '' };
}

function scanToken(s: Scanner): Token {
  const mode = s.modes[s.modes.length - 1];
  if (mode.kind === 'fstring') return scanFStringPart(s, mode);
  if (mode.kind === 'template') return scanTemplatePart(s);
  if (mode.kind === 'tagBody') return scanTagBody(s, mode);
  if (mode.kind === 'tagHeader') return scanTagHeader(s, mode);
  const trivia = skipTrivia(s);
  if (trivia) return trivia;
  markStart(s);
  if (isAtEnd(s)) return makeToken(s, 'EOF');
  return scanCode(s, mode);
}

// ---------------------------------------------------------------------------------------------
// Character helpers

const WHITESPACE = new Set<number>([
  0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
  0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
]);

export function isHogWhitespace(ch: string): boolean {
  return WHITESPACE.has(ch.charCodeAt(0));
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

function isIdentStart(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_' || ch === '$';
}

function isAtEnd(s: Scanner): boolean {
  return s.current >= s.src.length;
}

function peek(s: Scanner, ahead = 0): string {
  return s.src.charAt(s.current + ahead);
}

function advance(s: Scanner): string {
  const ch = s.src.charAt(s.current++);
  if (ch === '\n') {
    s.line++;
    s.lineStart = s.current;
  }
  return ch;
}

function match(s: Scanner, expected: string): boolean {
  if (!s.src.startsWith(expected, s.current)) return false;
  for (let i = 0; i < expected.length; i++) advance(s);
  return true;
}

function markStart(s: Scanner): void {
  s.start = s.current;
  s.startLine = s.line;
  s.startColumn = s.current - s.lineStart + 1;
}

function makeToken(s: Scanner, type: TokenType, value?: string | number): Token {
  const token: Token = {
    type,
    lexeme: s.src.slice(s.start, s.current),
    line: s.startLine,
    column: s.startColumn,
    offset: s.start,
  };
  if (value !== undefined) token.value = value;
  return token;
}

function errorToken(s: Scanner, message: string): Token {
  return { ...makeToken(s, 'Error'), message };
}

// ---------------------------------------------------------------------------------------------
// Whitespace and comments

function skipTrivia(s: Scanner): Token | null {
  for (;;) {
    const ch = peek(s);
    if (ch !== '' && isHogWhitespace(ch)) advance(s);
    else if (s.src.startsWith('//', s.current) || s.src.startsWith('--', s.current) || ch === '#') skipLine(s);
    else if (s.src.startsWith('/*', s.current)) {
      const error = skipBlockComment(s);
      if (error) return error;
    } else return null;
  }
}

function skipLine(s: Scanner): void {
  while (!isAtEnd(s) && peek(s) !== '\n') advance(s);
}

function skipBlockComment(s: Scanner): Token | null {
  markStart(s);
  advance(s);
  advance(s);
  while (!isAtEnd(s)) {
    if (match(s, '*/')) return null;
    advance(s);
  }
  return errorToken(s, 'Unterminated comment');
}

// ---------------------------------------------------------------------------------------------
// Code mode

const VALUE_END = new Set<TokenType>([
  'Identifier', 'Number', 'String', 'RightParen', 'RightBracket', 'RightBrace', 'FStringEnd', 'True', 'False', 'Null',
]);

/** Does the previous token end a value, making `.5` a member access rather than a number? */
function endsValue(s: Scanner): boolean {
  if (!VALUE_END.has(s.previous as TokenType)) return false;
  // CASE's words are identifiers to the scanner, but `when .5` starts a number.
  return !(s.previous === 'Identifier' && CASE_WORDS.has(s.previousLexeme.toLowerCase()));
}

const CASE_WORDS = new Set(['case', 'when', 'then', 'end']);

function scanCode(s: Scanner, mode: Mode & { kind: 'code' }): Token {
  const ch = peek(s);
  if (ch === 'f' && peek(s, 1) === "'") return startFString(s);
  if (isIdentStart(ch)) return scanIdentifier(s);
  if (isDigit(ch)) return scanNumber(s);
  if (ch === '.' && isDigit(peek(s, 1)) && !endsValue(s)) return scanNumber(s);
  if (ch === "'") return scanString(s);
  if (ch === '`' || ch === '"') return scanQuotedIdentifier(s, ch);
  if (ch === '{' || ch === '}') return scanBrace(s, mode);
  if (ch === '<' && isIdentStart(peek(s, 1)) && !endsValue(s)) return startTag(s);
  return scanOperator(s);
}

function scanBrace(s: Scanner, mode: Mode & { kind: 'code' }): Token {
  const ch = advance(s);
  if (ch === '{') {
    mode.braces++;
    return makeToken(s, 'LeftBrace');
  }
  if (mode.hole && mode.braces === 0) {
    s.modes.pop();
    return makeToken(s, 'HoleClose');
  }
  if (mode.braces > 0) mode.braces--;
  return makeToken(s, 'RightBrace');
}

/** Operators and punctuation, longest match first. */
const OPERATORS: [string, TokenType][] = [
  ['=~*', 'IRegex'],
  ['!~*', 'NotIRegex'],
  [':=', 'ColonEquals'],
  ['::', 'DoubleColon'],
  ['->', 'Arrow'],
  ['==', 'Equal'],
  ['=~', 'Regex'],
  ['!=', 'NotEqual'],
  ['!~', 'NotRegex'],
  ['<>', 'NotEqual'],
  ['<=', 'LessEqual'],
  ['>=', 'GreaterEqual'],
  ['~*', 'IRegex'],
  ['||', 'Concat'],
  ['??', 'DoubleQuestion'],
  ['?.', 'QuestionDot'],
  ['=', 'Equal'],
  ['<', 'Less'],
  ['>', 'Greater'],
  ['~', 'Regex'],
  ['+', 'Plus'],
  ['-', 'Minus'],
  ['*', 'Star'],
  ['/', 'Slash'],
  ['%', 'Percent'],
  ['?', 'Question'],
  [':', 'Colon'],
  ['.', 'Dot'],
  [',', 'Comma'],
  [';', 'Semicolon'],
  ['(', 'LeftParen'],
  [')', 'RightParen'],
  ['[', 'LeftBracket'],
  [']', 'RightBracket'],
];

function scanOperator(s: Scanner): Token {
  for (const [text, type] of OPERATORS) {
    if (match(s, text)) return makeToken(s, type);
  }
  const code = s.src.codePointAt(s.current) ?? 0;
  const ch = String.fromCodePoint(code);
  for (let i = 0; i < ch.length; i++) advance(s);
  return errorToken(s, `Unexpected character '${ch}'`);
}

const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]*/y;

function scanIdentifier(s: Scanner): Token {
  const text = matchRegex(s, IDENTIFIER) ?? advance(s);
  if (s.previous === 'Dot' || s.previous === 'QuestionDot') return makeToken(s, 'Identifier', text);
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return floatToken(s, Infinity);
  if (lower === 'nan') return floatToken(s, NaN);
  const keyword = KEYWORDS.get(lower);
  return keyword ? makeToken(s, keyword) : makeToken(s, 'Identifier', text);
}

function matchRegex(s: Scanner, re: RegExp): string | null {
  re.lastIndex = s.current;
  const m = re.exec(s.src);
  if (!m) return null;
  for (let i = 0; i < m[0].length; i++) advance(s);
  return m[0];
}

function floatToken(s: Scanner, value: number): Token {
  return { ...makeToken(s, 'Number', value), isFloat: true };
}

// ---------------------------------------------------------------------------------------------
// Numbers

const HEX_FLOAT = /0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)/y;
const HEX_INT = /0[xX][0-9a-fA-F]+/y;
const BIN_INT = /0[bB][01]+/y;
const DECIMAL = /[0-9]*(\.[0-9]*)?([eE][+-]?[0-9]+)?/y;
const DIGITS = /[0-9]+/y;
const ALNUM_RUN = /[A-Za-z0-9]*/y;

function scanNumber(s: Scanner): Token {
  const token = scanNumberLiteral(s);
  if (!/[A-Za-z0-9]/.test(peek(s))) return token;
  matchRegex(s, ALNUM_RUN);
  return errorToken(s, `Invalid number literal '${s.src.slice(s.start, s.current)}'`);
}

function scanNumberLiteral(s: Scanner): Token {
  if (s.previous === 'Dot' || s.previous === 'QuestionDot') {
    return makeToken(s, 'Number', Number(matchRegex(s, DIGITS)));
  }
  const hexFloat = tryHexFloat(s);
  if (hexFloat) return hexFloat;
  const hex = matchRegex(s, HEX_INT);
  if (hex !== null) return makeToken(s, 'Number', parseInt(hex.slice(2), 16));
  const bin = matchRegex(s, BIN_INT);
  if (bin !== null) return makeToken(s, 'Number', parseInt(bin.slice(2), 2));
  const text = matchRegex(s, DECIMAL) ?? '';
  const token = makeToken(s, 'Number', Number(text));
  if (/[.eE]/.test(text)) token.isFloat = true;
  return token;
}

function tryHexFloat(s: Scanner): Token | null {
  HEX_FLOAT.lastIndex = s.current;
  const m = HEX_FLOAT.exec(s.src);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null;
  for (let i = 0; i < m[0].length; i++) advance(s);
  const fraction = m[2] ?? '';
  const mantissa = parseInt(m[1] + fraction || '0', 16) / Math.pow(16, fraction.length);
  return floatToken(s, mantissa * Math.pow(2, Number(m[3])));
}

// ---------------------------------------------------------------------------------------------
// Strings and quoted identifiers

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  r: '\r',
  n: '\n',
  t: '\t',
  '0': '\0',
  a: '\x07',
  v: '\v',
  '\\': '\\',
  "'": "'",
};

/**
 * Read one escape after its backslash (already consumed). Returns the decoded text, or null for
 * an unknown escape. `extra` lists further characters that escape to themselves here.
 */
function readEscape(s: Scanner, extra: string): string | null {
  const ch = peek(s);
  if (ch === '') return null;
  if (Object.hasOwn(SIMPLE_ESCAPES, ch)) return SIMPLE_ESCAPES[advance(s)];
  if (extra.includes(ch)) return advance(s);
  if (ch === 'x' && /^[0-9a-fA-F]{2}$/.test(s.src.slice(s.current + 1, s.current + 3))) {
    // Lexes, but stays verbatim.
    return '\\' + advance(s) + advance(s) + advance(s);
  }
  return null;
}

interface QuotedBody {
  text: string;
  /** The first problem found: its message and where it was. */
  error?: { message: string; line: number; column: number; offset: number };
}

/** Read up to the closing `quote` (the opening one is consumed); a doubled quote is one quote. */
function readQuoted(s: Scanner, quote: string, extraEscapes: string): QuotedBody | null {
  const body: QuotedBody = { text: '' };
  for (;;) {
    if (isAtEnd(s)) return null;
    const ch = peek(s);
    if (ch === quote) {
      advance(s);
      if (peek(s) !== quote) return body;
      advance(s);
      body.text += quote;
    } else if (ch === '\\') readEscapeInto(s, body, extraEscapes);
    else body.text += advance(s);
  }
}

function readEscapeInto(s: Scanner, body: QuotedBody, extraEscapes: string): void {
  const where = { line: s.line, column: s.current - s.lineStart + 1, offset: s.current };
  advance(s);
  const decoded = readEscape(s, extraEscapes);
  if (decoded !== null) {
    body.text += decoded;
    return;
  }
  const bad = peek(s);
  if (!body.error) body.error = { message: `Invalid escape sequence '\\${bad}'`, ...where };
  if (bad !== '') advance(s);
}

function quotedToken(s: Scanner, type: TokenType, body: QuotedBody | null, unterminated: string): Token {
  if (body === null) return errorToken(s, unterminated);
  if (body.error) return { ...errorToken(s, body.error.message), ...body.error, message: body.error.message };
  return makeToken(s, type, body.text);
}

function scanString(s: Scanner): Token {
  advance(s);
  return quotedToken(s, 'String', readQuoted(s, "'", ''), 'Unterminated string');
}

function scanQuotedIdentifier(s: Scanner, quote: string): Token {
  advance(s);
  return quotedToken(s, 'Identifier', readQuoted(s, quote, quote), 'Unterminated quoted identifier');
}

// ---------------------------------------------------------------------------------------------
// f-strings and input templates

function startFString(s: Scanner): Token {
  advance(s);
  advance(s);
  const token = makeToken(s, 'FStringStart');
  s.modes.push({ kind: 'fstring', line: token.line, column: token.column, offset: token.offset });
  return token;
}

function openHole(s: Scanner): Token {
  advance(s);
  s.modes.push({ kind: 'code', hole: true, braces: 0 });
  return makeToken(s, 'HoleOpen');
}

function scanFStringPart(s: Scanner, mode: Mode & { kind: 'fstring' }): Token {
  markStart(s);
  if (isAtEnd(s)) {
    s.modes.pop();
    const { line, column, offset } = mode;
    return { ...errorToken(s, 'Unterminated string'), line, column, offset };
  }
  if (peek(s) === '{') return openHole(s);
  if (peek(s) === "'" && peek(s, 1) !== "'") {
    advance(s);
    s.modes.pop();
    return makeToken(s, 'FStringEnd');
  }
  return scanFStringText(s);
}

function scanFStringText(s: Scanner): Token {
  const body: QuotedBody = { text: '' };
  while (!isAtEnd(s) && peek(s) !== '{') {
    const ch = peek(s);
    if (ch === "'" && peek(s, 1) !== "'") break;
    if (ch === "'") {
      advance(s);
      body.text += advance(s);
    } else if (ch === '\\') readEscapeInto(s, body, '{');
    else body.text += advance(s);
  }
  return quotedToken(s, 'FStringText', body, 'Unterminated string');
}

function scanTemplatePart(s: Scanner): Token {
  markStart(s);
  if (isAtEnd(s)) return makeToken(s, 'EOF');
  if (peek(s) === '{') return openHole(s);
  let text = '';
  while (!isAtEnd(s) && peek(s) !== '{') {
    const next = peek(s, 1);
    if (peek(s) === '\\' && (next === '{' || next === '}' || next === '\\')) advance(s);
    text += advance(s);
  }
  return makeToken(s, 'FStringText', text);
}

// ---------------------------------------------------------------------------------------------
// HogQLX tags

const TAG_NAME = /<([A-Za-z_$][A-Za-z0-9_$]*)/y;
const CLOSING_TAG = /<\/\s*([A-Za-z_$][A-Za-z0-9_$]*)\s*>/y;

/** `<name`: a tag opens; its attributes follow in `tagHeader` mode. */
function startTag(s: Scanner): Token {
  const name = (matchRegex(s, TAG_NAME) ?? '').slice(1);
  s.modes.push({ kind: 'tagHeader', line: s.startLine, column: s.startColumn, offset: s.start });
  return makeToken(s, 'TagOpen', name);
}

/** Inside `<name …>`: attribute names, `=`, strings, `{expr}`, and the closing `>` or `/>`. */
function scanTagHeader(s: Scanner, mode: Mode & { kind: 'tagHeader' }): Token {
  const trivia = skipTrivia(s);
  if (trivia) return trivia;
  markStart(s);
  if (isAtEnd(s)) {
    s.modes.pop();
    const { line, column, offset } = mode;
    return { ...errorToken(s, 'Unterminated tag'), line, column, offset };
  }
  const ch = peek(s);
  if (isIdentStart(ch)) return makeToken(s, 'Identifier', matchRegex(s, IDENTIFIER) ?? '');
  if (ch === "'") return scanString(s);
  if (ch === '{') return openHole(s);
  if (match(s, '/>')) {
    s.modes.pop();
    return makeToken(s, 'TagSelfClose');
  }
  if (match(s, '>')) {
    s.modes[s.modes.length - 1] = { kind: 'tagBody', line: mode.line, column: mode.column, offset: mode.offset };
    return makeToken(s, 'TagEnd');
  }
  if (match(s, '=')) return makeToken(s, 'Equal');
  return scanOperator(s);
}

/** Between `<name>` and `</name>`: text, `{expr}` holes, child tags, and the closing tag. */
function scanTagBody(s: Scanner, mode: Mode & { kind: 'tagBody' }): Token {
  markStart(s);
  if (isAtEnd(s)) {
    s.modes.pop();
    const { line, column, offset } = mode;
    return { ...errorToken(s, 'Unterminated tag'), line, column, offset };
  }
  if (peek(s) === '{') return openHole(s);
  const closing = matchRegex(s, CLOSING_TAG);
  if (closing !== null) {
    s.modes.pop();
    return makeToken(s, 'TagClose', closing.replace(/^<\/\s*|\s*>$/g, ''));
  }
  if (peek(s) === '<' && isIdentStart(peek(s, 1))) return startTag(s);
  let text = '';
  do text += advance(s);
  while (!isAtEnd(s) && peek(s) !== '{' && peek(s) !== '<');
  return makeToken(s, 'TagText', text);
}
