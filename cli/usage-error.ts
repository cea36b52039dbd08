import { SetupError } from '../helpers/errors.ts';

/** A command line the tool cannot act on (unknown command, flag or value); exits with code 2. */
export class UsageError extends SetupError {
  constructor(problem: string, fix: string) {
    super(problem, fix);
    this.name = 'UsageError';
  }
}
