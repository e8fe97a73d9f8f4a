/** What a call threw, for assertions on it; the test fails when the call did not throw. */
export interface Failure {
  code?: string;
  field?: string;
  reason?: string;
  message: string;
}

export function failure(fn: () => unknown): Failure {
  try {
    fn();
  } catch (err) {
    return err as Failure;
  }
  throw new Error("expected a failure");
}

export async function rejection(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (err) {
    return err as Failure;
  }
  throw new Error("expected a failure");
}
