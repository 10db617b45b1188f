// The six steps of a CloudConvert v1 process and the only moves between them. Clients such as
// the Java one throw on any other step name, so these six are all the wire ever carries.

export const STEPS = ['input', 'wait', 'convert', 'output', 'finished', 'error'] as const;
export type Step = (typeof STEPS)[number];

export const FINAL_STEPS = ['finished', 'error'] as const satisfies readonly Step[];
export type FinalStep = (typeof FINAL_STEPS)[number];

/**
 * Allowed moves. `input` covers "created, waiting for start", "waiting for the upload" and
 * "fetching the input"; `wait` is "queued for a worker". A step may repeat itself (progress),
 * and a retried attempt (after a worker crash) starts over at `input`.
 */
export const TRANSITIONS: Readonly<Record<Step, readonly Step[]>> = {
  input: ['input', 'wait', 'convert', 'error'],
  wait: ['wait', 'input', 'convert', 'error'],
  convert: ['convert', 'output', 'finished', 'error', 'input'],
  output: ['output', 'finished', 'error', 'input'],
  finished: [],
  error: [],
};

export function isFinal(step: Step): step is FinalStep {
  return step === 'finished' || step === 'error';
}

export function canTransition(from: Step, to: Step): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Steps from which `to` may be entered: what a conditional update must find in the record. */
export function stepsLeadingTo(to: Step): Step[] {
  return STEPS.filter((from) => canTransition(from, to));
}
