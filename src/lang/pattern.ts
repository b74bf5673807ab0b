// Keeps `matches` patterns safe: no constructs that make a backtracking regex engine take exponential time.

export const MAX_PATTERN_LENGTH = 256;
export const MAX_MATCH_INPUT = 4096; // longer inputs are matched on their first 4096 characters

/** Returns why a pattern is refused, or null when it is safe to compile. */
export function checkPattern(p: string): string | null {
  if (p.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  if (/\\[1-9]|\\k</.test(p)) return 'back-references are not supported';
  if (/\(\?<?[=!]/.test(p)) return 'look-around is not supported';
  try { new RegExp(p); } catch (e) { return (e as Error).message.replace(/^Invalid regular expression: /, ''); }
  // A quantified group that itself contains a quantifier, e.g. (a+)+ or (\w*x)*: the classic catastrophic case.
  const stack: boolean[] = [];
  let inner = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') { i++; continue; }
    if (c === '[') { while (i < p.length && p[i] !== ']') { if (p[i] === '\\') i++; i++; } continue; }
    if (c === '(') { stack.push(inner); inner = false; continue; }
    if (c === ')') {
      const next = p[i + 1];
      const quantified = next === '*' || next === '+' || next === '?' || next === '{';
      if (quantified && inner && next !== '?') return 'a repeated group contains a repetition, as in (a+)+; rewrite it without nesting';
      inner = (stack.pop() ?? false) || inner || quantified;
      continue;
    }
    if (c === '*' || c === '+' || c === '{') inner = true;
  }
  return null;
}
