/**
 * Token kinds of Hog. The lexer produces them, the parser's rule table has one row
 * per kind (`Record<TokenType, ParseRule>`), so adding a kind here breaks the build until the parser
 * knows what to do with it.
 */

export type TokenType =
  // punctuation
  | 'LeftParen'
  | 'RightParen'
  | 'LeftBracket'
  | 'RightBracket'
  | 'LeftBrace'
  | 'RightBrace'
  | 'Comma'
  | 'Semicolon'
  | 'Dot'
  | 'QuestionDot'
  | 'Colon'
  | 'DoubleColon'
  | 'Question'
  | 'DoubleQuestion'
  | 'Arrow'
  | 'ColonEquals'
  // operators
  | 'Equal' // `=` and `==`
  | 'NotEqual' // `!=` and `<>`
  | 'Less'
  | 'LessEqual'
  | 'Greater'
  | 'GreaterEqual'
  | 'Plus'
  | 'Minus'
  | 'Star'
  | 'Slash'
  | 'Percent'
  | 'Concat' // `||`
  | 'Regex' // `=~` and `~`
  | 'IRegex' // `=~*` and `~*`
  | 'NotRegex' // `!~`
  | 'NotIRegex' // `!~*`
  // literals
  | 'Identifier'
  | 'String'
  | 'Number'
  | 'FStringStart' // `f'`
  | 'FStringText' // a text run inside an f-string or template (escapes already applied)
  | 'HoleOpen' // `{` opening an expression inside an f-string or template
  | 'HoleClose' // the `}` closing it
  | 'FStringEnd' // the closing `'`
  // HogQLX tags
  | 'TagOpen' // `<name` (value: the name)
  | 'TagEnd' // the `>` ending an opening tag
  | 'TagSelfClose' // `/>`
  | 'TagClose' // `</name>` (value: the name)
  | 'TagText' // text between tags
  // keywords (case-insensitive)
  | 'And'
  | 'Or'
  | 'Not'
  | 'Like'
  | 'ILike'
  | 'In'
  | 'Is'
  | 'Between'
  | 'Null'
  | 'True'
  | 'False'
  | 'Let'
  | 'Fn'
  | 'Fun'
  | 'If'
  | 'Else'
  | 'While'
  | 'For'
  | 'Return'
  | 'Throw'
  | 'Try'
  | 'Catch'
  | 'Finally'
  // special
  | 'Error'
  | 'EOF';

export interface Token {
  type: TokenType;
  /** The source text of the token (for errors and for keywords used as names). */
  lexeme: string;
  /** Decoded value: string contents, identifier name, or number. */
  value?: string | number;
  /** For numbers: true when the literal is a float (`1.0`, `1e3`, `inf`). */
  isFloat?: boolean;
  /** For error tokens: what went wrong. */
  message?: string;
  line: number;
  column: number;
  offset: number;
}

/** Keywords, by lower-cased spelling. `inf`, `infinity`, `nan` are number literals, not keywords. */
const KEYWORD_LIST: Readonly<Record<string, TokenType>> = {
  and: 'And',
  or: 'Or',
  not: 'Not',
  like: 'Like',
  ilike: 'ILike',
  in: 'In',
  is: 'Is',
  between: 'Between',
  null: 'Null',
  true: 'True',
  false: 'False',
  let: 'Let',
  fn: 'Fn',
  fun: 'Fun',
  if: 'If',
  else: 'Else',
  while: 'While',
  for: 'For',
  return: 'Return',
  throw: 'Throw',
  try: 'Try',
  catch: 'Catch',
  finally: 'Finally',
};

/** Keywords that can never be declared as a name. Every other keyword can. */
export const RESERVED_NAMES: ReadonlySet<TokenType> = new Set<TokenType>([
  'Let',
  'Fn',
  'Fun',
  'While',
  'Try',
  'Catch',
  'Finally',
  'Throw',
  'Null',
]);

/** A Map, not an object: `__proto__` and `constructor` are identifiers, not prototype lookups. */
export const KEYWORDS: ReadonlyMap<string, TokenType> = new Map(Object.entries(KEYWORD_LIST));

const KEYWORD_TYPES: ReadonlySet<TokenType> = new Set(KEYWORDS.values());

/** Whether `name` (any case) is spelled like a keyword, so generated code should not use it as a bare name. */
export function isKeywordName(name: string): boolean {
  return KEYWORDS.has(name.toLowerCase());
}

export function isKeyword(type: TokenType): boolean {
  return KEYWORD_TYPES.has(type);
}

/** An identifier, or a keyword that may be used as a declared name (`let if := 3`). */
export function isNameToken(token: Token): boolean {
  return token.type === 'Identifier' || (isKeyword(token.type) && !RESERVED_NAMES.has(token.type));
}

/** The name a name token stands for: the decoded identifier, or the keyword as written. */
export function nameOf(token: Token): string {
  return token.type === 'Identifier' ? String(token.value) : token.lexeme;
}

/** How a token is shown in a diagnostic: `'else'`, `')'`, `end of input`. */
export function describeToken(token: Token): string {
  if (token.type === 'EOF') return 'end of input';
  if (token.type === 'FStringText') return 'text';
  return `'${token.lexeme}'`;
}
