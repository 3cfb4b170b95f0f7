/**
 * Errors the runtime raises. Each says what is wrong and, where there is one, the fix.
 *
 * - ModelError: the model itself is invalid or unsupported (raised at compile time, or at load).
 * - InferenceInputError: the caller's tensors do not fit the model (the HTTP layer answers 400).
 * Anything else escaping a run is a genuine fault.
 */
export class ModelError extends Error {
  override readonly name = 'ModelError';
}

export class InferenceInputError extends Error {
  override readonly name = 'InferenceInputError';
}

/** An error raised by a kernel while it runs: bad shapes or values reaching that node. */
export class KernelError extends InferenceInputError {}
