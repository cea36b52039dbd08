/** The program name as users type it, for messages and help. */
export const program = 'netconform';

/** Prints a progress line to stderr with the time since start. */
export function progress(start: number): (line: string) => void {
  return (line) => {
    const s = ((performance.now() - start) / 1000).toFixed(1).padStart(6);
    process.stderr.write(`[${s}s] ${line}\n`);
  };
}
