import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatSource, parse, printFile } from './index.ts';

const dir = fileURLToPath(new URL('../../strategies/', import.meta.url));

test('the default pack is formatted, and formatting is idempotent and keeps comments', () => {
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.bw'))) {
    const src = readFileSync(dir + name, 'utf8');
    const once = formatSource(name, src);
    assert.ok('text' in once, name);
    if (!('text' in once)) continue;
    assert.equal(once.text, src, `${name} is not in canonical format (run bulwark fmt --write strategies)`);
    const twice = formatSource(name, once.text);
    assert.ok('text' in twice && twice.text === once.text);
  }
});

test('formatting normalises layout without changing meaning', () => {
  const messy = '# lead\nrule   r on login when not success and (1+2)*3 > 4 then review, score +10 because "x"\nfeature f=count(login|signup by (account,device) where not (account == "a") over 60m)';
  const r = formatSource('m.bw', messy);
  assert.ok('text' in r);
  if (!('text' in r)) return;
  assert.equal(r.text, '# lead\nrule r on login\n  when not success and (1 + 2) * 3 > 4\n  then review\n  score +10\n  because "x"\n\nfeature f = count(login|signup by (account, device) where not account == "a" over 60m)\n');
  // Same tree after a round trip.
  assert.equal(printFile(parse('m.bw', r.text).file), r.text);
});
