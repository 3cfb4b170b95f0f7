/** Limits given as options: the defaults, overridden by the options that are set. */
export function withDefaults<T extends object>(defaults: Required<T>, given: T | undefined): Required<T> {
  const set = Object.entries(given ?? {}).filter(([, v]) => v !== undefined);
  return { ...defaults, ...Object.fromEntries(set) } as Required<T>;
}
