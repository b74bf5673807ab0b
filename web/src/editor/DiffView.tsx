// A read-only unified diff of one file (@codemirror/merge): deletions and insertions inline, unchanged
// stretches folded away, highlighted like the editor.
import { useEffect, useRef } from 'react';
import { EditorState, Text } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { Chunk, unifiedMergeView } from '@codemirror/merge';
import { editorTheme, isSource } from './setup.ts';
import { strategyHighlight, strategyLanguage } from './language.ts';

const toText = (s: string) => Text.of(s.split('\n'));

/** Lines added and removed between two texts. */
export function lineStats(before: string, after: string): { added: number; removed: number } {
  const a = toText(before), b = toText(after);
  let added = 0, removed = 0;
  for (const c of Chunk.build(a, b)) {
    if (c.toA > c.fromA) removed += a.lineAt(c.endA).number - a.lineAt(c.fromA).number + 1;
    if (c.toB > c.fromB) added += b.lineAt(c.endB).number - b.lineAt(c.fromB).number + 1;
  }
  return { added, removed };
}

export function DiffView({ file, before, after }: { file: string; before: string; after: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const view = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: after,
        extensions: [
          lineNumbers(),
          editorTheme,
          EditorState.readOnly.of(true),
          EditorView.editable.of(false),
          EditorView.contentAttributes.of({ 'aria-label': `Changes to ${file}` }),
          ...(isSource(file) ? [strategyLanguage, strategyHighlight] : []),
          unifiedMergeView({ original: before, mergeControls: false, highlightChanges: true, gutter: true, syntaxHighlightDeletions: true, collapseUnchanged: { margin: 3, minSize: 6 } }),
        ],
      }),
    });
    return () => view.destroy();
  }, [file, before, after]);
  return <div className="bw-diff" ref={host} />;
}
