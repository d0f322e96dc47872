import { describe, expect, test } from 'vitest';
import { tokenize } from '../lexer.js';
import type { Token } from '../tokens.js';

const types = (src: string) => tokenize(src).map((t) => t.type);
const values = (src: string) => tokenize(src).slice(0, -1).map((t) => t.value);
const first = (src: string): Token => tokenize(src)[0];
const errors = (src: string) => tokenize(src).filter((t) => t.type === 'Error');

describe('whitespace and comments', () => {
  test('skips every Unicode whitespace character and the BOM', () => {
    const ws = ' \t\r\n\v\f\u0085\u00a0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
    expect(types(`${ws}a${ws}b${ws}`)).toEqual(['Identifier', 'Identifier', 'EOF']);
  });

  test('skips //, --, # and /* */ comments', () => {
    expect(types('a // x\nb -- y\nc # z\nd /* multi\nline */ e')).toEqual([
      'Identifier', 'Identifier', 'Identifier', 'Identifier', 'Identifier', 'EOF',
    ]);
  });

  test('reads 1--1 as the number 1 followed by a comment', () => {
    expect(types('1--1')).toEqual(['Number', 'EOF']);
  });

  test('reports an unterminated block comment', () => {
    expect(errors('a /* never closed')[0]).toMatchObject({ message: 'Unterminated comment', column: 3 });
  });
});

describe('identifiers and keywords', () => {
  test('allows $ and _ anywhere in identifiers', () => {
    expect(values('$browser a$b _x x_1')).toEqual(['$browser', 'a$b', '_x', 'x_1']);
  });

  test('matches keywords in any case', () => {
    expect(types('LET Fun RETURN TRUE Null aNd')).toEqual(['Let', 'Fun', 'Return', 'True', 'Null', 'And', 'EOF']);
  });

  test('reads backtick and double-quoted identifiers, never strings', () => {
    expect(tokenize('`weird name` "x" `a``b` "a""b" `a\\\\b`').slice(0, -1).map((t) => [t.type, t.value])).toEqual([
      ['Identifier', 'weird name'],
      ['Identifier', 'x'],
      ['Identifier', 'a`b'],
      ['Identifier', 'a"b'],
      ['Identifier', 'a\\b'],
    ]);
  });

  test('reads __proto__, constructor and toString as identifiers (regression: keyword lookup hit Object.prototype)', () => {
    expect(tokenize('__proto__ constructor toString hasOwnProperty').slice(0, -1).map((t) => [t.type, t.value])).toEqual([
      ['Identifier', '__proto__'],
      ['Identifier', 'constructor'],
      ['Identifier', 'toString'],
      ['Identifier', 'hasOwnProperty'],
    ]);
  });

  test('makes any word after a dot an identifier, so keywords can be property names', () => {
    expect(types('a.if.true')).toEqual(['Identifier', 'Dot', 'Identifier', 'Dot', 'Identifier', 'EOF']);
  });

  test('reads 1_000 as the number 1 and the identifier _000', () => {
    expect(tokenize('1_000').slice(0, -1).map((t) => [t.type, t.value])).toEqual([
      ['Number', 1],
      ['Identifier', '_000'],
    ]);
  });
});

describe('strings', () => {
  test('decodes every string escape', () => {
    expect(first("'\\b\\f\\r\\n\\t\\0\\a\\v\\\\\\''").value).toBe('\b\f\r\n\t\0\x07\v\\\'');
  });

  test("reads a doubled quote as one quote: 'it''s'", () => {
    expect(first("'it''s'").value).toBe("it's");
  });

  test('keeps \\xHH verbatim, as PostHog parser 1.3.87 does', () => {
    expect(first("'\\x41'").value).toBe('\\x41');
  });

  test('keeps raw newlines inside strings', () => {
    expect(first("'a\nb'").value).toBe('a\nb');
  });

  test.each(['\\"', '\\z', '\\u00e9', '\\`', '\\{'])('rejects the unknown escape %s at its position', (esc) => {
    expect(errors(`x := 'ab${esc}'`)[0]).toMatchObject({ message: `Invalid escape sequence '${esc.slice(0, 2)}'`, column: 9 });
  });

  test('reports an unterminated string at its opening quote', () => {
    expect(errors("let x := 'abc")[0]).toMatchObject({ message: 'Unterminated string', line: 1, column: 10 });
  });
});

describe('f-strings', () => {
  test('splits text and holes, lexing holes as ordinary code', () => {
    expect(types("f'a{x + 1}b'")).toEqual([
      'FStringStart', 'FStringText', 'HoleOpen', 'Identifier', 'Plus', 'Number', 'HoleClose', 'FStringText', 'FStringEnd', 'EOF',
    ]);
  });

  test('allows nested strings, dicts and f-strings inside holes', () => {
    expect(errors("f'{f'{a}'} {'{'} {{'a': 1}} { {'a':1} }'")).toEqual([]);
    expect(types("f'{{'a':1}}'")).toEqual([
      'FStringStart', 'HoleOpen', 'LeftBrace', 'String', 'Colon', 'Number', 'RightBrace', 'HoleClose', 'FStringEnd', 'EOF',
    ]);
  });

  test("reads \\{ as a brace, a lone } as text and '' as a quote in the text", () => {
    expect(tokenize("f'\\{x} it''s'")[1]).toMatchObject({ type: 'FStringText', value: "{x} it's" });
  });

  test('only a lower-case f directly before a quote starts an f-string', () => {
    expect(types("F'x'")).toEqual(['Identifier', 'String', 'EOF']);
    expect(types("f 'x'")).toEqual(['Identifier', 'String', 'EOF']);
  });

  test('reports an unterminated f-string at its start', () => {
    expect(errors("x := f'abc{x}")).toMatchObject([{ message: 'Unterminated string', line: 1, column: 6, offset: 5 }]);
  });
});

describe('numbers', () => {
  test.each([
    ['123', 123, false],
    ['010', 10, false],
    ['0x1F', 31, false],
    ['0x1e5', 485, false],
    ['0b101', 5, false],
    ['1.5', 1.5, true],
    ['1.', 1, true],
    ['.5', 0.5, true],
    ['1e3', 1000, true],
    ['1.5e-3', 0.0015, true],
    ['0x1p3', 8, true],
    ['0x1.8p1', 3, true],
    ['inf', Infinity, true],
    ['Infinity', Infinity, true],
  ])('reads %s as %d', (src, value, isFloat) => {
    const token = first(src);
    expect(token.type).toBe('Number');
    expect(token.value).toBe(value);
    expect(token.isFloat === true).toBe(isFloat);
  });

  test('reads nan as a float NaN', () => {
    expect(Number.isNaN(first('nan').value)).toBe(true);
  });

  test.each(['0o17', '0b2', '1e', '12abc'])('rejects %s as an invalid number literal', (src) => {
    expect(errors(src)[0]?.message).toMatch(/^Invalid number literal/);
  });

  test('reads a.1.2 as two tuple indexes, not a float', () => {
    expect(tokenize('a.1.2').map((t) => t.type)).toEqual(['Identifier', 'Dot', 'Number', 'Dot', 'Number', 'EOF']);
  });

  test('reads .5 after CASE words as a number', () => {
    expect(types('case when .5 then .5 end')).toContain('Number');
    expect(types('when .5')).toEqual(['Identifier', 'Number', 'EOF']);
  });
});

describe('operators', () => {
  test('reads every operator with the longest match', () => {
    expect(types(':= -> = == != <> < <= > >= + - * / % || ?? ?. ? : . , ; ( ) [ ] { } =~ ~ =~* ~* !~ !~* ::')).toEqual([
      'ColonEquals', 'Arrow', 'Equal', 'Equal', 'NotEqual', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual',
      'Plus', 'Minus', 'Star', 'Slash', 'Percent', 'Concat', 'DoubleQuestion', 'QuestionDot', 'Question', 'Colon', 'Dot',
      'Comma', 'Semicolon', 'LeftParen', 'RightParen', 'LeftBracket', 'RightBracket', 'LeftBrace', 'RightBrace', 'Regex',
      'Regex', 'IRegex', 'IRegex', 'NotRegex', 'NotIRegex', 'DoubleColon', 'EOF',
    ]);
  });

  test.each([
    ['!x', '!'],
    ['a && b', '&'],
    ['a | b', '|'],
    ['x@y', '@'],
    ['é', 'é'],
    ['😀', '😀'],
  ])('makes %s an unexpected character error', (src, ch) => {
    expect(errors(src)[0]?.message).toBe(`Unexpected character '${ch}'`);
  });
});

describe('HogQLX tags', () => {
  test('scans a tag with attributes, text, holes and a child', () => {
    expect(types("<a href='x' b={1} c>hi {y}<br/></a>")).toEqual([
      'TagOpen', 'Identifier', 'Equal', 'String', 'Identifier', 'Equal', 'HoleOpen', 'Number', 'HoleClose', 'Identifier',
      'TagEnd', 'TagText', 'HoleOpen', 'Identifier', 'HoleClose', 'TagOpen', 'TagSelfClose', 'TagClose', 'EOF',
    ]);
  });

  test('keeps a < after a value as the less-than operator', () => {
    expect(types('a <b')).toEqual(['Identifier', 'Less', 'Identifier', 'EOF']);
    expect(types('(x) <y')).toEqual(['LeftParen', 'Identifier', 'RightParen', 'Less', 'Identifier', 'EOF']);
  });
});

describe('positions', () => {
  test('gives 1-based lines and columns and 0-based offsets', () => {
    const tokens = tokenize('let x\n  := 10');
    expect(tokens.map((t) => [t.line, t.column, t.offset])).toEqual([
      [1, 1, 0],
      [1, 5, 4],
      [2, 3, 8],
      [2, 6, 11],
      [2, 8, 13],
    ]);
  });

  test('counts lines inside strings and comments', () => {
    const tokens = tokenize("'a\nb' /* \n */ x");
    expect(tokens[1]).toMatchObject({ line: 3, column: 5 });
  });
});

describe('templates', () => {
  test('scans free text with holes and the escapes \\{ \\} \\\\', () => {
    const tokens = tokenize("it's \\{x\\} c:\\path\\\\ {a}", { template: true });
    expect(tokens.map((t) => t.type)).toEqual(['FStringText', 'HoleOpen', 'Identifier', 'HoleClose', 'EOF']);
    expect(tokens[0].value).toBe("it's {x} c:\\path\\ ");
  });
});

test('never throws and always ends with EOF, whatever the input', () => {
  for (const src of ["f'{", "f'{'", '`', '"', "'\\", '/*', '0x', '.', "f'{f'{f'{", '}}}', "f'}'"]) {
    const tokens = tokenize(src);
    expect(tokens[tokens.length - 1].type).toBe('EOF');
  }
});
