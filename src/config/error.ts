// The one error a bad setting raises, so the entry points can print it and exit without a stack.

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    /** What is wrong, without the variable's name (so a wrapper can name another variable). */
    readonly problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Throws the ConfigError of `variable`; a function so readers can use it in expressions. */
export function fail(variable: string, problem: string): never {
  throw new ConfigError(variable, problem);
}
