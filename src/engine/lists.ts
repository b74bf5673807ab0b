// Named lists that rules look values up in; edits are seen by the next event.

export class ListRef {
  private hashed: Set<string> | null = null;
  constructor(
    readonly name: string,
    private values: Set<string>,
    private readonly pseudonymise: ((v: string) => string) | null,
    private personal: boolean,
  ) {}

  /** Values of personal lists are compared in pseudonymised form, like the event values they are checked against. */
  has(v: string): boolean {
    if (this.personal && this.pseudonymise) {
      if (!this.hashed) this.hashed = new Set([...this.values].map(this.pseudonymise));
      return this.hashed.has(v);
    }
    return this.values.has(v);
  }

  markPersonal(personal: boolean): void {
    if (personal !== this.personal) { this.personal = personal; this.hashed = null; }
  }

  replace(values: Iterable<string>): void { this.values = new Set(values); this.hashed = null; }
  add(values: Iterable<string>): void { for (const v of values) this.values.add(v); this.hashed = null; }
  remove(values: Iterable<string>): void { for (const v of values) this.values.delete(v); this.hashed = null; }
  get size(): number { return this.values.size; }
  all(): string[] { return [...this.values]; }
  contains(raw: string): boolean { return this.values.has(raw); }
}

export class Lists {
  private refs = new Map<string, ListRef>();
  constructor(private readonly pseudonymise: ((v: string) => string) | null = null) {}

  ref(name: string, personal = false): ListRef {
    let r = this.refs.get(name);
    if (!r) { r = new ListRef(name, new Set(), this.pseudonymise, personal); this.refs.set(name, r); }
    else r.markPersonal(personal);
    return r;
  }

  names(): string[] { return [...this.refs.keys()].sort(); }
  get(name: string): ListRef | undefined { return this.refs.get(name); }
}
