// How the screens load what they show: the answer kept, the error shown until the next load
// succeeds (a failed load keeps what was shown before), and the screen's "loading" flag, where it
// has one, on for the length of the call.

export async function loadInto<T>(
  fetch: () => Promise<T>,
  keep: (answer: T) => void,
  setError: (error: unknown) => void,
  setLoading?: (loading: boolean) => void,
): Promise<void> {
  setLoading?.(true);
  try {
    keep(await fetch());
    setError(null);
  } catch (e) {
    setError(e);
  } finally {
    setLoading?.(false);
  }
}
