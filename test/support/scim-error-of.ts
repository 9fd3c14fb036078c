import { isScimError, type ScimError } from '../../src/scim/errors.js';

/** Runs `action` and returns the ScimError it throws; anything else it throws, or no throw at all, fails the test. */
export async function scimErrorOf(action: () => Promise<unknown>): Promise<ScimError> {
  try {
    await action();
  } catch (err) {
    if (isScimError(err)) return err;
    throw err;
  }
  throw new Error('Expected a ScimError, but the call succeeded');
}
