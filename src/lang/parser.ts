// Recursive-descent parser: tokens to a SourceFile, reporting every syntax error with its location.
import { AGG_FNS, VERDICTS, type AggFn, type BinaryOp, type Decl, type Expr, type FieldDecl, type Literal, type RuleDecl, type SourceFile, type TestDecl, type TestStep, type TypeExpr, type Verdict } from './ast.ts';
import { strategyError, type Loc, type StrategyError } from './errors.ts';
import { lex, type Token } from './lexer.ts';

const DECL_STARTS = new Set(['entity', 'event', 'list', 'signal', 'feature', 'rule', 'scoring', 'lateness', 'test']);
const RULE_CLAUSES = new Set(['when', 'then', 'score', 'label', 'unlabel', 'queue', 'because']);

class Bail extends Error {}

export interface ParseResult {
  file: SourceFile;
  errors: StrategyError[];
}

export function parse(file: string, src: string): ParseResult {
  const { tokens: all, errors } = lex(file, src);
  const comments = all.filter((t) => t.kind === 'comment');
  const p = new Parser(all.filter((t) => t.kind !== 'comment'), errors);
  const decls: Decl[] = [];
  let ci = 0;
  while (!p.atEof()) {
    const startTok = p.peek();
    const leading: string[] = [];
    while (ci < comments.length && comments[ci]!.start < startTok.start) {
      const c = comments[ci++]!;
      leading.push(c.text);
      // A blank line after a comment keeps it apart from what follows (a file header, a section title).
      const nextLine = ci < comments.length && comments[ci]!.start < startTok.start ? comments[ci]!.loc.line : startTok.loc.line;
      if (nextLine > c.loc.line + 1) leading.push('');
    }
    const d = p.declaration();
    if (d) {
      const end = p.lastEnd();
      while (ci < comments.length && comments[ci]!.start < end) leading.push(comments[ci++]!.text);
      // An end-of-line comment right after the declaration belongs to it.
      d.comments = leading.concat(d.comments);
      decls.push(d);
    }
  }
  const trailingComments = comments.slice(ci).map((c) => c.text);
  return { file: { file, decls, trailingComments }, errors };
}

class Parser {
  private i = 0;
  constructor(private readonly t: Token[], private readonly errors: StrategyError[]) {}

  atEof(): boolean { return this.t[this.i]!.kind === 'eof'; }
  peek(o = 0): Token { return this.t[Math.min(this.i + o, this.t.length - 1)]!; }
  lastEnd(): number { return this.i > 0 ? this.t[this.i - 1]!.end : 0; }
  private next(): Token { const tok = this.t[this.i]!; if (tok.kind !== 'eof') this.i++; return tok; }
  private is(text: string): boolean { const k = this.peek(); return (k.kind === 'keyword' || k.kind === 'op') && k.text === text; }
  private accept(text: string): Token | null { return this.is(text) ? this.next() : null; }
  private fail(loc: Loc, message: string): never { this.errors.push(strategyError('syntax', loc, message)); throw new Bail(); }
  private describe(tok: Token): string {
    if (tok.kind === 'eof') return 'end of file';
    if (tok.kind === 'string') return `string "${tok.text}"`;
    return `'${tok.text}'`;
  }
  private expect(text: string, what = `'${text}'`): Token {
    const tok = this.peek();
    if (!this.is(text)) this.fail(tok.loc, `expected ${what}, found ${this.describe(tok)}`);
    return this.next();
  }
  private ident(what: string): Token {
    const tok = this.peek();
    if (tok.kind !== 'ident') this.fail(tok.loc, `expected ${what}, found ${this.describe(tok)}${tok.kind === 'keyword' ? ' (a reserved word)' : ''}`);
    return this.next();
  }
  private stringLit(what: string): Token {
    const tok = this.peek();
    if (tok.kind !== 'string') this.fail(tok.loc, `expected ${what} as a "quoted string", found ${this.describe(tok)}`);
    return this.next();
  }
  private duration(what: string): Token {
    const tok = this.peek();
    if (tok.kind !== 'duration') this.fail(tok.loc, `expected ${what} such as 30s, 5m, 1h or 7d, found ${this.describe(tok)}`);
    return this.next();
  }

  /** Skips to the next token that starts a declaration on a new line. */
  private recover(start: number): void {
    if (this.i === start) this.next();
    while (!this.atEof()) {
      const tok = this.peek();
      if (tok.kind === 'keyword' && DECL_STARTS.has(tok.text) && tok.newlineBefore) return;
      this.next();
    }
  }

  declaration(): Decl | null {
    const tok = this.peek();
    const start = this.i;
    try {
      if (tok.kind === 'keyword') {
        switch (tok.text) {
          case 'entity': return this.entityDecl();
          case 'event': return this.eventDecl();
          case 'list': return this.listDecl();
          case 'signal': return this.signalDecl();
          case 'feature': return this.featureDecl();
          case 'rule': return this.ruleDecl();
          case 'scoring': return this.scoringDecl();
          case 'lateness': return this.latenessDecl();
          case 'test': return this.testDecl();
        }
      }
      this.fail(tok.loc, `expected a declaration (entity, event, list, signal, feature, rule, scoring, lateness or test), found ${this.describe(tok)}`);
    } catch (e) {
      if (!(e instanceof Bail)) throw e;
      this.recover(start);
      return null;
    }
  }

  private entityDecl(): Decl {
    const loc = this.next().loc;
    const name = this.ident('an entity type name such as Account').text;
    const personal = this.accept('personal') !== null;
    return { kind: 'entity', name, personal, loc, comments: [] };
  }

  private eventDecl(): Decl {
    const loc = this.next().loc;
    const name = this.ident('an event type name such as signup').text;
    this.expect('{', "'{' to open the field list");
    const fields: FieldDecl[] = [];
    while (!this.is('}')) {
      if (this.atEof()) this.fail(this.peek().loc, `expected '}' to close event ${name}`);
      const f = this.ident('a field name');
      this.expect(':', `':' after field name '${f.text}'`);
      const type = this.typeExpr();
      const optional = this.accept('?') !== null;
      const personal = this.accept('personal') !== null;
      fields.push({ name: f.text, type, optional, personal, loc: f.loc, comments: [] });
      this.accept(',');
    }
    this.next();
    return { kind: 'event', name, fields, loc, comments: [] };
  }

  private typeExpr(): TypeExpr {
    const tok = this.peek();
    if (tok.kind === 'keyword' && tok.text === 'list') {
      this.next();
      this.expect('<', "'<' after list (as in list<string>)");
      const of = this.typeExpr();
      this.expect('>', "'>' to close list<...>");
      return { kind: 'list', of, loc: tok.loc };
    }
    const n = this.ident('a type (string, number, bool, timestamp, list<string> or an entity type)');
    return { kind: 'name', name: n.text, loc: n.loc };
  }

  private listDecl(): Decl {
    const loc = this.next().loc;
    const name = this.ident('a list name').text;
    const type = this.accept(':') ? this.typeExpr() : null;
    const from = this.accept('from') ? this.stringLit('a file name').text : null;
    return { kind: 'list', name, type, from, loc, comments: [] };
  }

  /** `signal ring_size on Account, Device`: a number about an entity, set outside the event stream. */
  private signalDecl(): Decl {
    const loc = this.next().loc;
    const name = this.ident('a signal name').text;
    this.expect('on', `'on' and the entity types that carry signal ${name}`);
    const types: { name: string; loc: Loc }[] = [];
    do { const t = this.ident('an entity type'); types.push({ name: t.text, loc: t.loc }); } while (this.accept(','));
    return { kind: 'signal', name, types, loc, comments: [] };
  }

  private featureDecl(): Decl {
    const loc = this.next().loc;
    const name = this.ident('a feature name').text;
    this.expect('=', `'=' after feature name '${name}'`);
    const expr = this.expr();
    return { kind: 'feature', name, expr, loc, comments: [] };
  }

  private verdict(): { verdict: Verdict; loc: Loc } {
    const tok = this.peek();
    if (tok.kind !== 'ident' || !(VERDICTS as readonly string[]).includes(tok.text)) {
      this.fail(tok.loc, `expected a verdict (allow, challenge, review or block), found ${this.describe(tok)}`);
    }
    this.next();
    return { verdict: tok.text as Verdict, loc: tok.loc };
  }

  private ruleDecl(): RuleDecl {
    const loc = this.next().loc;
    const name = this.ident('a rule name').text;
    const rule: RuleDecl = { kind: 'rule', name, on: [], when: null, verdict: null, score: null, labels: [], queue: null, because: null, loc, comments: [] };
    if (this.accept('on')) {
      do {
        const t = this.ident('an event type after on');
        rule.on.push({ name: t.text, loc: t.loc });
      } while (this.accept(','));
    }
    const seen = new Set<string>();
    for (;;) {
      const tok = this.peek();
      if (tok.kind !== 'keyword' || !RULE_CLAUSES.has(tok.text)) break;
      this.next();
      if (tok.text !== 'label' && tok.text !== 'unlabel' && seen.has(tok.text)) this.fail(tok.loc, `rule ${name} has two '${tok.text}' clauses; expected at most one`);
      seen.add(tok.text);
      switch (tok.text) {
        case 'when': rule.when = this.expr(); break;
        case 'then': rule.verdict = this.verdict(); this.accept(','); break;
        case 'score': {
          const s = this.peek();
          const sign = this.accept('+') ? 1 : this.accept('-') ? -1 : this.fail(s.loc, `expected '+' or '-' after score (as in score +40), found ${this.describe(s)}`);
          rule.score = { sign, expr: this.expr(), loc: tok.loc };
          this.accept(',');
          break;
        }
        case 'label':
        case 'unlabel': {
          const entity = this.expr();
          const label = this.stringLit('the label name').text;
          let forMs: number | null = null;
          let forText: string | null = null;
          if (tok.text === 'label' && this.accept('for')) { const d = this.duration('how long the label lasts'); forMs = d.value; forText = d.text; }
          rule.labels.push({ op: tok.text === 'label' ? 'set' : 'clear', entity, label, forMs, forText, loc: tok.loc });
          this.accept(',');
          break;
        }
        case 'queue': {
          const q = this.peek();
          if (q.kind !== 'ident' && q.kind !== 'string') this.fail(q.loc, `expected a queue name after queue, found ${this.describe(q)}`);
          this.next();
          rule.queue = { name: q.text, loc: q.loc };
          this.accept(',');
          break;
        }
        case 'because': rule.because = { text: this.stringLit('the reason').text, loc: tok.loc }; break;
      }
    }
    if (!rule.when) {
      const tok = this.peek();
      this.fail(tok.kind === 'eof' ? loc : tok.loc, `rule ${name} needs a 'when <condition>' clause; found ${this.describe(tok)}`);
    }
    const tok = this.peek();
    if (!tok.newlineBefore && tok.kind !== 'eof') this.fail(tok.loc, `unexpected ${this.describe(tok)} in rule ${name}; expected when, then, score, label, unlabel, queue or because`);
    return rule;
  }

  private scoringDecl(): Decl {
    const loc = this.next().loc;
    const thresholds: { verdict: Verdict; at: number; loc: Loc }[] = [];
    while (this.peek().kind === 'ident' && (VERDICTS as readonly string[]).includes(this.peek().text) && this.peek(1).text === 'at') {
      const v = this.verdict();
      this.expect('at', `'at' after ${v.verdict} (as in ${v.verdict} at 60)`);
      const n = this.peek();
      if (n.kind !== 'number') this.fail(n.loc, `expected a score number after at, found ${this.describe(n)}`);
      this.next();
      thresholds.push({ verdict: v.verdict, at: n.value, loc: v.loc });
      this.accept(',');
    }
    if (thresholds.length === 0) this.fail(this.peek().loc, `expected thresholds after scoring (as in: scoring challenge at 30, review at 60, block at 100), found ${this.describe(this.peek())}`);
    return { kind: 'scoring', thresholds, loc, comments: [] };
  }

  private latenessDecl(): Decl {
    const loc = this.next().loc;
    const d = this.duration('the lateness bound');
    return { kind: 'lateness', ms: d.value, text: d.text, loc, comments: [] };
  }

  private testDecl(): TestDecl {
    const loc = this.next().loc;
    const name = this.stringLit('the test name').text;
    const steps: TestStep[] = [];
    while (this.is('given') || this.is('expect')) steps.push(this.testStep());
    if (steps.length === 0) this.fail(this.peek().loc, `test "${name}" needs steps: given <event> ... or expect <event> ...`);
    return { kind: 'test', name, steps, loc, comments: [] };
  }

  private testStep(): TestStep {
    const kw = this.next();
    let afterMs: number | null = null;
    let afterText: string | null = null;
    if (this.accept('after')) { const d = this.duration('a delay after the previous step'); afterMs = d.value; afterText = d.text; }
    const type = this.ident('an event type');
    this.expect('{', `'{' to open the fields of the ${type.text} event`);
    const fields: TestStep['fields'] = [];
    while (!this.is('}')) {
      const f = this.peek();
      if (f.kind !== 'ident' && f.kind !== 'keyword') this.fail(f.loc, `expected a field name, found ${this.describe(f)}`);
      this.next();
      this.expect(':', `':' after field '${f.text}'`);
      fields.push({ name: f.text, value: this.literal(), loc: f.loc });
      if (!this.accept(',') && !this.is('}')) this.fail(this.peek().loc, `expected ',' or '}' after field '${f.text}', found ${this.describe(this.peek())}`);
    }
    this.next();
    const step: TestStep = { kind: kw.text as 'given' | 'expect', afterMs, afterText, eventType: type.text, typeLoc: type.loc, fields, verdict: null, fires: [], notFires: [], scoreAtLeast: null, loc: kw.loc };
    if (step.kind === 'expect') {
      for (;;) {
        if (this.accept('verdict')) step.verdict = this.verdict().verdict;
        else if (this.accept('fires')) step.fires.push(...this.names());
        else if (this.is('not') && this.peek(1).text === 'fires') { this.next(); this.next(); step.notFires.push(...this.names()); }
        else if (this.accept('score')) {
          this.expect('>=', "'>=' after score (as in score >= 40)");
          const n = this.peek();
          if (n.kind !== 'number') this.fail(n.loc, `expected a number, found ${this.describe(n)}`);
          this.next();
          step.scoreAtLeast = n.value;
        } else break;
      }
      if (!step.verdict && step.fires.length === 0 && step.notFires.length === 0 && step.scoreAtLeast === null) {
        this.fail(this.peek().loc, `expect needs at least one of: verdict <v>, fires <rule>, not fires <rule>, score >= <n>`);
      }
    }
    return step;
  }

  private names(): string[] {
    const out = [this.ident('a rule name').text];
    while (this.accept(',')) out.push(this.ident('a rule name').text);
    return out;
  }

  private literal(): Literal {
    const tok = this.peek();
    if (tok.kind === 'string') { this.next(); return tok.text; }
    if (tok.kind === 'number') { this.next(); return tok.value; }
    if (this.accept('-')) { const n = this.peek(); if (n.kind !== 'number') this.fail(n.loc, 'expected a number after -'); this.next(); return -n.value; }
    if (this.accept('true')) return true;
    if (this.accept('false')) return false;
    if (this.accept('null')) return null;
    if (this.accept('[')) {
      const items: string[] = [];
      while (!this.is(']')) {
        items.push(this.stringLit('a list item').text);
        if (!this.accept(',') && !this.is(']')) this.fail(this.peek().loc, `expected ',' or ']' in list, found ${this.describe(this.peek())}`);
      }
      this.next();
      return items;
    }
    this.fail(tok.loc, `expected a value (string, number, true, false, null or [..]), found ${this.describe(tok)}`);
  }

  // ---- expressions, lowest precedence first ----
  expr(): Expr { return this.or(); }

  private or(): Expr {
    let left = this.and();
    while (this.is('or')) { const op = this.next(); left = { kind: 'binary', op: 'or', left, right: this.and(), loc: op.loc }; }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.is('and')) { const op = this.next(); left = { kind: 'binary', op: 'and', left, right: this.not(), loc: op.loc }; }
    return left;
  }

  private not(): Expr {
    if (this.is('not')) { const op = this.next(); return { kind: 'unary', op: 'not', arg: this.not(), loc: op.loc }; }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.coalesce();
    const tok = this.peek();
    if (tok.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(tok.text)) {
      this.next();
      return { kind: 'binary', op: tok.text as BinaryOp, left, right: this.coalesce(), loc: tok.loc };
    }
    if (this.is('is')) {
      this.next();
      const negated = this.accept('not') !== null;
      this.expect('null', `'null' after is${negated ? ' not' : ''}`);
      return { kind: 'is_null', arg: left, negated, loc: tok.loc };
    }
    let negated = false;
    if (this.is('not') && (this.peek(1).text === 'in' || this.peek(1).text === 'has')) { this.next(); negated = true; }
    if (this.accept('in')) {
      if (this.accept('list')) {
        const l = this.ident('a list name after in list');
        return { kind: 'in_list', arg: left, list: l.text, listLoc: l.loc, negated, loc: tok.loc };
      }
      return { kind: 'in', arg: left, set: this.coalesce(), negated, loc: tok.loc };
    }
    if (this.accept('has')) {
      this.expect('label', "'label' after has (as in account has label \"banned\")");
      return { kind: 'has_label', entity: left, label: this.stringLit('the label name').text, negated, loc: tok.loc };
    }
    if (negated) this.fail(this.peek().loc, `expected 'in' or 'has' after not`);
    if (this.accept('matches')) return { kind: 'matches', arg: left, pattern: this.stringLit('a regular expression').text, loc: tok.loc };
    return left;
  }

  private coalesce(): Expr {
    let left = this.additive();
    while (this.is('??')) { const op = this.next(); left = { kind: 'binary', op: '??', left, right: this.additive(), loc: op.loc }; }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.is('+') || this.is('-')) { const op = this.next(); left = { kind: 'binary', op: op.text as BinaryOp, left, right: this.multiplicative(), loc: op.loc }; }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.is('*') || this.is('/') || this.is('%')) { const op = this.next(); left = { kind: 'binary', op: op.text as BinaryOp, left, right: this.unary(), loc: op.loc }; }
    return left;
  }

  private unary(): Expr {
    if (this.is('-')) { const op = this.next(); return { kind: 'unary', op: '-', arg: this.unary(), loc: op.loc }; }
    return this.primary();
  }

  private primary(): Expr {
    const tok = this.peek();
    switch (tok.kind) {
      case 'number': this.next(); return { kind: 'number', value: tok.value, loc: tok.loc };
      case 'duration': this.next(); return { kind: 'duration', ms: tok.value, text: tok.text, loc: tok.loc };
      case 'string': this.next(); return { kind: 'string', value: tok.text, loc: tok.loc };
      case 'keyword':
        if (tok.text === 'true' || tok.text === 'false') { this.next(); return { kind: 'bool', value: tok.text === 'true', loc: tok.loc }; }
        if (tok.text === 'null') { this.next(); return { kind: 'null', loc: tok.loc }; }
        if (tok.text === 'now') { this.next(); return { kind: 'now', loc: tok.loc }; }
        break;
      case 'op':
        if (tok.text === '(') { this.next(); const e = this.expr(); this.expect(')', "')' to close '('"); return e; }
        if (tok.text === '[') {
          this.next();
          const items: Expr[] = [];
          while (!this.is(']')) {
            items.push(this.expr());
            if (!this.accept(',') && !this.is(']')) this.fail(this.peek().loc, `expected ',' or ']' in list, found ${this.describe(this.peek())}`);
          }
          this.next();
          return { kind: 'array', items, loc: tok.loc };
        }
        break;
      case 'ident': {
        this.next();
        if (!this.is('(')) return { kind: 'name', name: tok.text, loc: tok.loc };
        if (AGG_FNS.has(tok.text)) { const agg = this.tryAggregate(tok); if (agg) return agg; }
        this.next();
        const args: Expr[] = [];
        while (!this.is(')')) {
          args.push(this.expr());
          if (!this.accept(',') && !this.is(')')) this.fail(this.peek().loc, `expected ',' or ')' in the arguments of ${tok.text}, found ${this.describe(this.peek())}`);
        }
        this.next();
        return { kind: 'call', fn: tok.text, args, loc: tok.loc };
      }
    }
    this.fail(tok.loc, `expected an expression, found ${this.describe(tok)}`);
  }

  /** `count(signup by device where ... over 1h)`: an aggregate when the argument is an event source followed by by/where/over. */
  private tryAggregate(fnTok: Token): Expr | null {
    const save = this.i;
    this.next(); // (
    const first = this.peek();
    const types: string[] = [];
    if (this.accept('*')) types.push('*');
    else if (first.kind === 'ident') {
      types.push(this.next().text);
      while (this.accept('|')) types.push(this.ident('an event type after |').text);
    } else { this.i = save; return null; }
    let field: string | null = null;
    if (this.accept('.')) field = this.ident('a field name after .').text;
    if (!this.is('by') && !this.is('where') && !this.is('over') && !this.is(')')) { this.i = save; return null; }
    if (this.is(')') && types.length === 1 && field === null && fnTok.text !== 'count' && fnTok.text !== 'first_seen' && fnTok.text !== 'last_seen' && fnTok.text !== 'age') { this.i = save; return null; }
    const source = { types, field, loc: first.loc };
    const by: Expr[] = [];
    if (this.accept('by')) {
      if (this.is('(')) {
        this.next();
        do by.push(this.expr()); while (this.accept(','));
        this.expect(')', "')' to close the key list");
      } else by.push(this.additive());
    }
    const where = this.accept('where') ? this.expr() : null;
    let window: { ms: number; text: string } | null = null;
    if (this.accept('over')) { const d = this.duration('a window'); window = { ms: d.value, text: d.text }; }
    this.expect(')', `')' to close ${fnTok.text}(...)`);
    return { kind: 'agg', fn: fnTok.text as AggFn, source, by, where, window, loc: fnTok.loc };
  }
}
