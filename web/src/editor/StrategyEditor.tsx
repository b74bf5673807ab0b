// One CodeMirror view for a strategy's files: each file keeps its own state (text, selection, undo history,
// scroll position) and switching files swaps them in. The checker's errors arrive from outside and are
// shown inline (underline, gutter marker, hover message) for the file on screen.
import { useEffect, useRef } from 'react';
import { EditorSelection, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { setDiagnostics } from '@codemirror/lint';
import { fileExtensions, offsetOf, toDiagnostics, type CheckError } from './setup.ts';

export interface JumpTarget { file: string; line: number; col: number; n: number }

export interface StrategyEditorProps {
  /** The files to start from; read again only when `resetKey` changes. */
  files: Record<string, string>;
  resetKey: string;
  active: string;
  readOnly: boolean;
  errors: CheckError[];
  onChange: (file: string, text: string) => void;
  jump: JumpTarget | null;
}

export function StrategyEditor({ files, resetKey, active, readOnly, errors, onChange, jump }: StrategyEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const states = useRef(new Map<string, EditorState>());
  const scrolls = useRef(new Map<string, number>());
  const shown = useRef<string | null>(null);
  const scrollToken = useRef(0);
  const latest = useRef({ files, readOnly, errors, onChange });
  latest.current = { files, readOnly, errors, onChange };

  const stateFor = (file: string): EditorState => {
    let s = states.current.get(file);
    if (!s) {
      const listener = EditorView.updateListener.of((u) => {
        if (u.docChanged) latest.current.onChange(file, u.state.doc.toString());
      });
      const label = EditorView.contentAttributes.of({ 'aria-label': `Source of ${file}` });
      s = EditorState.create({ doc: latest.current.files[file] ?? '', extensions: fileExtensions(file, latest.current.readOnly, [listener, label]) });
      states.current.set(file, s);
    }
    return s;
  };

  const showDiagnostics = () => {
    const v = view.current;
    if (!v || shown.current === null) return;
    const mine = latest.current.errors.filter((e) => e.file === shown.current);
    v.dispatch(setDiagnostics(v.state, toDiagnostics(v.state.doc, mine)));
  };

  const show = (file: string) => {
    const v = view.current!;
    if (shown.current !== null && shown.current !== file) {
      states.current.set(shown.current, v.state);
      scrolls.current.set(shown.current, v.scrollDOM.scrollTop);
    }
    shown.current = file;
    v.setState(stateFor(file));
    showDiagnostics();
    // Back where the reader left this file, unless a jump (which bumps the token) wants somewhere else.
    const top = scrolls.current.get(file) ?? 0;
    const token = ++scrollToken.current;
    requestAnimationFrame(() => { if (shown.current === file && scrollToken.current === token) v.scrollDOM.scrollTop = top; });
  };

  // Mount once; a new resetKey or permission starts every file afresh from `files`.
  useEffect(() => {
    view.current = new EditorView({ parent: host.current! });
    return () => { view.current?.destroy(); view.current = null; shown.current = null; };
  }, []);

  useEffect(() => {
    states.current.clear();
    scrolls.current.clear();
    shown.current = null;
    show(active);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [resetKey, readOnly]);

  useEffect(() => {
    if (shown.current !== active) show(active);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  useEffect(showDiagnostics, [errors]);

  // A deleted file's state goes with it, so a new file of the same name starts empty.
  useEffect(() => {
    for (const f of [...states.current.keys()]) if (!(f in files) && f !== shown.current) states.current.delete(f);
  }, [files]);

  useEffect(() => {
    const v = view.current;
    if (!v || !jump || jump.file !== shown.current) return;
    scrollToken.current++;
    const pos = offsetOf(v.state.doc, jump.line, jump.col);
    v.dispatch({ selection: EditorSelection.cursor(pos), effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
    v.focus();
  }, [jump]);

  return <div className="bw-editor" ref={host} />;
}
