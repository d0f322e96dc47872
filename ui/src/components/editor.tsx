/**
 * CodeMirror 6 editors: Hog (syntax highlighting, globals autocomplete, compile errors as lint
 * diagnostics at their line and column) and JSON.
 */
import { autocompletion, closeBrackets, type Completion, type CompletionContext } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, HighlightStyle, indentOnInput, StreamLanguage, syntaxHighlighting, type StringStream } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, placeholder as placeholderExt } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import { useEffect, useRef } from 'preact/hooks';
import type { CompileDiagnostic } from '../types';

const KEYWORDS = new Set([
  'let', 'fn', 'fun', 'if', 'else', 'while', 'for', 'in', 'return', 'throw', 'try', 'catch', 'finally', 'and', 'or', 'not',
  'like', 'ilike', 'is', 'break', 'continue', 'case', 'when', 'then', 'end', 'import', 'from', 'as',
]);
const ATOMS = new Set(['true', 'false', 'null']);
const GLOBALS = new Set(['event', 'person', 'groups', 'project', 'source', 'inputs']);

interface HogState {
  /** Inside a string: its quote, and whether `{…}` holes are interpolated (f-strings). */
  quote: string | null;
  fstring: boolean;
  blockComment: boolean;
  /** Brace depth of the f-string holes we are in. */
  holes: number[];
}

function readString(stream: StringStream, state: HogState): string {
  while (!stream.eol()) {
    const ch = stream.next();
    if (ch === '\\') {
      stream.next();
      continue;
    }
    if (ch === state.quote) {
      state.quote = null;
      return 'string';
    }
    if (state.fstring && ch === '{') {
      stream.backUp(1);
      if (stream.pos === stream.start) {
        stream.next();
        state.holes.push(0);
        state.quote = null;
        return 'bracket';
      }
      return 'string';
    }
  }
  return 'string';
}

/** A stream tokenizer for Hog: good enough for highlighting; the server's compiler is the judge. */
const hogParser = {
  name: 'hog',
  startState: (): HogState & { stringStack: { quote: string; fstring: boolean }[] } => ({ quote: null, fstring: false, blockComment: false, holes: [], stringStack: [] }),
  token(stream: StringStream, state: HogState & { stringStack: { quote: string; fstring: boolean }[] }): string | null {
    if (state.blockComment) {
      if (stream.skipTo('*/')) {
        stream.pos += 2;
        state.blockComment = false;
      } else stream.skipToEnd();
      return 'comment';
    }
    if (state.quote) return readString(stream, state);
    if (stream.eatSpace()) return null;
    if (stream.match('//') || stream.match('--')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('/*')) {
      state.blockComment = true;
      return 'comment';
    }
    const ch = stream.peek() ?? '';
    if ((ch === 'f' || ch === 'F') && (stream.match("f'") || stream.match('f"') || stream.match("F'") || stream.match('F"'))) {
      state.quote = stream.current().slice(-1);
      state.fstring = true;
      return readString(stream, state);
    }
    if (ch === "'" || ch === '"') {
      stream.next();
      state.quote = ch;
      state.fstring = false;
      return readString(stream, state);
    }
    if (ch === '`') {
      stream.next();
      stream.skipTo('`') ? stream.next() : stream.skipToEnd();
      return 'variableName';
    }
    if (ch === '{' && state.holes.length > 0) {
      stream.next();
      state.holes[state.holes.length - 1]!++;
      return 'bracket';
    }
    if (ch === '}' && state.holes.length > 0) {
      stream.next();
      const depth = state.holes[state.holes.length - 1]!;
      if (depth === 0) {
        state.holes.pop();
        state.quote = "'";
        state.fstring = true;
        return 'bracket';
      }
      state.holes[state.holes.length - 1] = depth - 1;
      return 'bracket';
    }
    if (stream.match(/^\d+(\.\d+)?([eE][+-]?\d+)?/)) return 'number';
    if (stream.match(/^[A-Za-z_$][\w$]*/)) {
      const word = stream.current();
      if (ATOMS.has(word.toLowerCase())) return 'atom';
      if (KEYWORDS.has(word.toLowerCase())) return 'keyword';
      if (GLOBALS.has(word)) return 'variableName.special';
      if (stream.match(/^\s*\(/, false)) return 'function';
      return 'variableName';
    }
    if (stream.match(/^(:=|==|!=|<=|>=|=~\*?|!~\*?|\?\?|\?\.|->|=>|\|\||[-+*/%<>=!?:])/)) return 'operator';
    stream.next();
    return /[()[\]{}]/.test(ch) ? 'bracket' : 'punctuation';
  },
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } }, closeBrackets: { brackets: ['(', '[', '{', "'", '"'] } },
  tokenTable: { 'variableName.special': t.special(t.variableName), function: t.function(t.variableName) },
};

export const hogLanguage = StreamLanguage.define(hogParser as never);

const highlight = HighlightStyle.define([
  { tag: t.keyword, color: '#7c3aed', fontWeight: '600' },
  { tag: t.atom, color: '#b45309' },
  { tag: t.bool, color: '#b45309' },
  { tag: t.null, color: '#b45309' },
  { tag: t.number, color: '#0369a1' },
  { tag: t.string, color: '#047857' },
  { tag: t.comment, color: '#6b7280', fontStyle: 'italic' },
  { tag: t.operator, color: '#be185d' },
  { tag: t.special(t.variableName), color: '#c2410c', fontWeight: '600' },
  { tag: t.function(t.variableName), color: '#1d4ed8' },
  { tag: t.propertyName, color: '#1e40af' },
  { tag: t.bracket, color: '#4b5563' },
]);

const GLOBAL_COMPLETIONS: Completion[] = [
  ...['event.name', 'event.event', 'event.uuid', 'event.distinct_id', 'event.properties', 'event.timestamp', 'event.url', 'event.elements_chain'].map((l) => ({ label: l, type: 'variable', detail: 'event' })),
  ...['person.id', 'person.uuid', 'person.name', 'person.url', 'person.properties', 'person.properties.email'].map((l) => ({ label: l, type: 'variable', detail: 'person' })),
  ...['project.id', 'project.name', 'project.url', 'source.name', 'source.url', 'groups'].map((l) => ({ label: l, type: 'variable' })),
  ...['fetch', 'print', 'postHogCapture', 'toString', 'toInt', 'toFloat', 'jsonStringify', 'jsonParse', 'length', 'empty', 'notEmpty', 'lower', 'upper', 'trim', 'replaceAll', 'splitByString', 'arrayMap', 'arrayFilter', 'has', 'keys', 'values', 'now', 'toDateTime', 'formatDateTime', 'sha256Hex', 'md5Hex', 'base64Encode', 'encodeURLComponent'].map((l) => ({ label: l, type: 'function', apply: `${l}(` })),
  ...[...KEYWORDS].map((l) => ({ label: l, type: 'keyword' })),
];

function hogCompletions(inputKeys: string[]) {
  return (context: CompletionContext) => {
    const word = context.matchBefore(/[\w.$]+/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const inputs = inputKeys.map((k) => ({ label: `inputs.${k}`, type: 'variable', detail: 'input' }));
    return { from: word.from, options: [...inputs, ...GLOBAL_COMPLETIONS], validFor: /^[\w.$]*$/ };
  };
}

const theme = EditorView.theme({
  '&': { fontSize: '13px', border: '1px solid var(--border)', borderRadius: '8px', background: 'var(--surface)' },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '1px' },
  '.cm-content': { fontFamily: 'var(--mono)', padding: '8px 0' },
  '.cm-gutters': { background: 'var(--surface-2)', borderRight: '1px solid var(--border)', color: 'var(--muted)', borderRadius: '8px 0 0 8px' },
  '.cm-scroller': { overflow: 'auto' },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy #dc2626', textUnderlineOffset: '3px' },
});

export function toCmDiagnostics(doc: EditorState['doc'], diagnostics: CompileDiagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => {
    const lineNo = Math.min(Math.max(1, d.line), doc.lines);
    const line = doc.line(lineNo);
    let from = Math.min(line.from + Math.max(0, d.column - 1), line.to);
    // Underline the word at the position; at a line end or on a blank line (an unfinished
    // expression), underline the last character before it instead, so there is always a squiggle.
    const word = /^[\w$]+|^\S/.exec(doc.sliceString(from, line.to));
    if (word) return { from, to: from + word[0].length, severity: 'error' as const, message: d.message };
    const before = doc.sliceString(0, from);
    const m = /\S\s*$/.exec(before);
    if (m) from = m.index;
    return { from, to: Math.min(doc.length, from + 1), severity: 'error' as const, message: d.message };
  });
}

export interface CodeEditorProps {
  value: string;
  onChange: (value: string) => void;
  language: 'hog' | 'json';
  diagnostics?: CompileDiagnostic[];
  ariaLabel: string;
  id?: string;
  minHeight?: number;
  maxHeight?: number;
  inputKeys?: string[];
  testId?: string;
  placeholder?: string;
}

/**
 * The page's Content-Security-Policy nonce for style elements, which CodeMirror needs for the `<style>`
 * it injects. The server puts it on a `<meta property="csp-nonce">` (Vite's `html.cspNonce`); browsers hide
 * the attribute, so it is read from the element's `nonce` property.
 */
function styleNonce(): string {
  return document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? '';
}

export function CodeEditor(props: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  // Counts the edits the editor reported. A render remembers the count it saw: its value is stale if
  // the user typed since, and writing it back would fight the newer text (Preact runs a pending effect
  // when the next render starts, so the two values could replace each other forever).
  const emitted = useRef(0);
  const seenEdits = emitted.current;
  const completion = useRef(new Compartment());

  useEffect(() => {
    const extensions: Extension[] = [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      history(),
      bracketMatching(),
      closeBrackets(),
      indentOnInput(),
      lintGutter(),
      keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
      theme,
      EditorView.cspNonce.of(styleNonce()),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': props.ariaLabel, ...(props.id ? { id: props.id } : {}) }),
      EditorView.updateListener.of((u) => {
        if (!u.docChanged) return;
        emitted.current++;
        onChange.current(u.state.doc.toString());
      }),
      EditorView.theme({
        '.cm-content, .cm-gutter': { minHeight: `${props.minHeight ?? 120}px` },
        '.cm-scroller': { maxHeight: `${props.maxHeight ?? 560}px` },
      }),
    ];
    if (props.placeholder) extensions.push(placeholderExt(props.placeholder));
    if (props.language === 'hog') {
      extensions.push(hogLanguage, syntaxHighlighting(highlight), completion.current.of(autocompletion({ override: [hogCompletions(props.inputKeys ?? [])] })));
    } else {
      extensions.push(json(), syntaxHighlighting(highlight));
    }
    view.current = new EditorView({ parent: host.current!, state: EditorState.create({ doc: props.value, extensions }) });
    return () => {
      view.current?.destroy();
      view.current = null;
    };
  }, []);

  // Outside changes (reset, template switch) replace the document.
  useEffect(() => {
    const v = view.current;
    if (emitted.current !== seenEdits) return;
    if (v && v.state.doc.toString() !== props.value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: props.value } });
  }, [props.value]);

  useEffect(() => {
    const v = view.current;
    if (!v || props.language !== 'hog') return;
    v.dispatch({ effects: completion.current.reconfigure(autocompletion({ override: [hogCompletions(props.inputKeys ?? [])] })) });
  }, [(props.inputKeys ?? []).join(',')]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    v.dispatch(setDiagnostics(v.state, toCmDiagnostics(v.state.doc, props.diagnostics ?? [])));
  }, [props.diagnostics, props.value]);

  return <div class="code-editor" ref={host} data-testid={props.testId} />;
}
