// A progress bar on stderr for long jobs; in a non-terminal it prints a line every few seconds instead.

export class Progress {
  private last = 0;
  private readonly start = performance.now();
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly label: string, private total: number, private readonly unit = 'events') {}

  update(done: number, total = this.total): void {
    this.total = total;
    const now = performance.now();
    if (now - this.last < (this.tty ? 100 : 5000) && done < total) return;
    this.last = now;
    const secs = (now - this.start) / 1000;
    const rate = secs > 0 ? Math.round(done / secs) : 0;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const eta = rate > 0 && total > done ? ` eta ${Math.ceil((total - done) / rate)}s` : '';
    if (this.tty) {
      const width = 30;
      const fill = Math.round(frac * width);
      process.stderr.write(`\r${this.label} [${'█'.repeat(fill)}${'░'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${this.unit} ${rate.toLocaleString('en-US')}/s${eta}   `);
    } else {
      process.stderr.write(`${this.label}: ${done}/${total} ${this.unit} (${(frac * 100).toFixed(0)}%, ${rate}/s)\n`);
    }
  }

  done(): number {
    const secs = (performance.now() - this.start) / 1000;
    if (this.tty) process.stderr.write('\n');
    return secs;
  }
}
