// The editor's extensions: line numbers, highlighting, the lint gutter, undo and a theme in the console's look.
import { EditorState, type Extension, type Text } from '@codemirror/state';
import { drawSelection, EditorView, keymap, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, lineNumbers, rectangularSelection, dropCursor } from '@codemirror/view';
import { bracketMatching, indentUnit } from '@codemirror/language';
import { lintGutter, type Diagnostic } from '@codemirror/lint';
import { builtinHover, strategyHighlight, strategyLanguage } from './language.ts';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';

/** An error from POST /v1/strategies/check (or a refused upload): 1-based line and column. */
export interface CheckError { file: string; line: number; col: number; code: string; message: string }

export const isSource = (file: string) => file.endsWith('.bw');

export const editorTheme = EditorView.theme({
  '&': { fontSize: '13px', backgroundColor: '#fff', height: '100%' },
  '.cm-scroller': { fontFamily: "ui-monospace, 'SF Mono', Menlo, Consolas, monospace", lineHeight: '1.55' },
  '.cm-content': { padding: '6px 0' },
  '.cm-gutters': { backgroundColor: '#f8f9fb', borderRight: '1px solid #e3e6eb', color: '#9aa3b2' },
  '.cm-activeLine': { backgroundColor: '#f5f8ff' },
  '.cm-activeLineGutter': { backgroundColor: '#e8f0fe', color: '#1f2430' },
  '&.cm-focused': { outline: 'none' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: '#cfe0fc' },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy #dc4c4c', textDecorationSkipInk: 'none', textUnderlineOffset: '3px', backgroundColor: '#fdecec' },
  '.cm-lintPoint-error:after': { borderBottomColor: '#dc4c4c' },
  '.cm-tooltip': { border: '1px solid #e3e6eb', borderRadius: '6px', boxShadow: '0 6px 20px rgba(20,26,38,.12)', backgroundColor: '#fff' },
  '.cm-tooltip-lint': { maxWidth: '560px' },
  '.cm-diagnostic-error': { borderLeftColor: '#dc4c4c' },
  '.cm-diagnosticSource': { color: '#a72c2c', textTransform: 'uppercase', fontSize: '11px', fontWeight: '600', opacity: 1 },
  '.cm-matchingBracket': { backgroundColor: '#e2ecfd', outline: '1px solid #b8cdf8' },
});

/** Extensions for one file's state. `readOnly` is the viewer's editor: readable and selectable, never editable. */
export function fileExtensions(file: string, readOnly: boolean, extra: Extension[] = []): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    drawSelection(),
    dropCursor(),
    rectangularSelection(),
    highlightActiveLine(),
    bracketMatching(),
    indentUnit.of('  '),
    EditorState.tabSize.of(2),
    lintGutter(),
    editorTheme,
    ...(isSource(file) ? [strategyLanguage, strategyHighlight, builtinHover] : []),
    // Read-only: nothing to type into (the mouse still selects and copies).
    ...(readOnly ? [EditorState.readOnly.of(true), EditorView.editable.of(false), keymap.of(defaultKeymap)] : [history(), keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab])]),
    ...extra,
  ];
}

/** A 1-based line and column as a document offset, clamped to the document. */
export function offsetOf(doc: Text, line: number, col: number): number {
  const l = doc.line(Math.max(1, Math.min(doc.lines, line)));
  return Math.min(l.to, l.from + Math.max(0, col - 1));
}

// What a checker error underlines: the token at its column (a name, a string, a number) or one character.
const TOKEN = /^("(?:[^"\\]|\\.)*"?|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?[A-Za-z]*|==|!=|<=|>=|\?\?|=>|\S)/;

export function toDiagnostics(doc: Text, errors: CheckError[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of errors) {
    let from = offsetOf(doc, e.line, e.col);
    const line = doc.lineAt(from);
    const m = TOKEN.exec(line.text.slice(from - line.from));
    let to = from + (m ? m[0].length : 0);
    if (to === from) {
      // At the end of a line or of the file ("found end of file"): underline the last character written
      // before it, so the error is still a visible range and not a point.
      const before = doc.sliceString(Math.max(0, from - 2000), from);
      const i = before.search(/\S\s*$/);
      if (i >= 0) { from = from - before.length + i; to = from + 1; }
    }
    out.push({ from, to, severity: 'error', source: `${e.code} error`, message: e.message });
  }
  return out.sort((a, b) => a.from - b.from);
}
