// Which review queues a user may work: all of them (null) or a chosen few.
import { useState } from 'react';

const QUEUE = /^[a-z][a-z0-9_]{0,63}$/;

export function QueuePicker({ value, onChange, known }: { value: string[] | null; onChange: (v: string[] | null) => void; known: string[] | null }) {
  const [text, setText] = useState(value?.join(', ') ?? '');
  const options = [...new Set([...(known ?? []), ...(value ?? [])])].sort();
  const bad = text.split(',').map((s) => s.trim()).filter((s) => s && !QUEUE.test(s));
  return (
    <fieldset className="queue-picker">
      <legend>Queues</legend>
      <label className="check">
        <input type="checkbox" checked={value === null} onChange={(e) => onChange(e.target.checked ? null : [])} />
        All queues
      </label>
      {value !== null && (known && known.length > 0 ? (
        <div className="queue-options">
          {options.map((q) => (
            <label key={q} className="check">
              <input type="checkbox" checked={value.includes(q)} onChange={(e) => onChange(e.target.checked ? [...value, q].sort() : value.filter((x) => x !== q))} />
              {q}
            </label>
          ))}
        </div>
      ) : (
        <input
          aria-label="Queue names, comma separated" placeholder="takeover, spam" value={text}
          onChange={(e) => { setText(e.target.value); onChange(e.target.value.split(',').map((s) => s.trim()).filter((s) => QUEUE.test(s))); }}
        />
      ))}
      {value !== null && value.length === 0 && <span className="small warn-text">No queue: this user cannot work any case.</span>}
      {bad.length > 0 && <span className="small warn-text">Not a queue name: {bad.join(', ')}</span>}
    </fieldset>
  );
}
