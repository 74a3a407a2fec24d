/** What a bench scenario declares and receives; test/bench/run.ts dispatches over them. */
export type OptionSpec = {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
  /** Placeholder shown in the help, e.g. "<n>". */
  value?: string;
  default?: string;
  description: string;
};

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export type BenchContext = {
  /** Aborts at the global timeout or on Ctrl-C; scenarios stop, report what they have, and return. */
  signal: AbortSignal;
  /** When the global timeout fires, as performance.now() time. */
  deadline: number;
  /** Run this when the scenario is over, whatever happened (last registered runs first). */
  defer(cleanup: () => unknown): void;
  /** A progress line on stderr, so stdout keeps only the results. */
  progress(message: string): void;
};

export type Scenario = {
  name: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** Resolves with the exit code: 0 on success, non-zero when anything went wrong. */
  run(values: OptionValues, context: BenchContext): Promise<number>;
};
