// Locations and the StrategyError value every compiler stage reports with.

export interface Loc {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export type StrategyErrorCode = 'syntax' | 'type' | 'name' | 'cycle' | 'unreachable' | 'duplicate' | 'file';

export interface StrategyError {
  code: StrategyErrorCode;
  message: string;
  loc: Loc;
}

export function strategyError(code: StrategyErrorCode, loc: Loc, message: string): StrategyError {
  return { code, message, loc };
}

export function formatError(e: StrategyError): string {
  return `${e.loc.file}:${e.loc.line}:${e.loc.col}: ${e.code} error: ${e.message}`;
}

/** Orders errors by file, line, column so reports read top to bottom. */
export function sortErrors(errors: StrategyError[]): StrategyError[] {
  return errors.slice().sort((a, b) =>
    a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.line - b.loc.line || a.loc.col - b.loc.col,
  );
}
