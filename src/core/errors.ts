/** A model that cannot be read: says what is wrong and where (a field path and, when known, a byte offset). */
export class OnnxFormatError extends Error {
  constructor(message: string, readonly where: string, readonly offset?: number) {
    super(`${where}${offset !== undefined ? ` (byte ${offset})` : ''}: ${message}`);
    this.name = 'OnnxFormatError';
  }
}

/** A request the model cannot satisfy (unknown tensor, impossible cut, invalid graph for an edit). */
export class OnnxModelError extends Error {
  constructor(message: string, readonly details: string[] = []) {
    super(message);
    this.name = 'OnnxModelError';
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
