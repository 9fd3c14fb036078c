import {
  AlreadyExistsError,
  BusyError,
  ConstraintViolationError,
  InsufficientAccessError,
  InvalidCredentialsError,
  InvalidDNSyntaxError,
  InvalidSyntaxError,
  NamingViolationError,
  NoSuchAttributeError,
  NoSuchObjectError,
  NotAllowedOnNonLeafError,
  NotAllowedOnRDNError,
  ObjectClassViolationError,
  ResultCodeError,
  TypeOrValueExistsError,
  UnavailableError,
  UndefinedTypeError,
  UnwillingToPerformError,
} from 'ldapts';
import { isScimError, ScimError, scimErrors } from '../../scim/errors.js';

/** Seconds a client should wait before retrying when the directory is down or busy. */
const RETRY_AFTER_SECONDS = 5;

/** Node socket error codes that mean "the directory is not reachable right now". */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/** AD/Samba "value already in use" constraint (sAMAccountName, userPrincipalName clashes): a 409. */
const AD_IN_USE = /(sAMAccountName|userPrincipalName|servicePrincipalName)\b.*\balready in use/i;

/**
 * AD's password policy refusals: extended error 0000052D (constraintViolation,
 * "password too short / does not meet complexity / history") on a
 * unicodePwd write. The text never contains the password.
 */
const AD_PASSWORD_POLICY = /^0000052D\b/i;

/**
 * The server's diagnostic text, trimmed. AD prefixes it with a hex code
 * (`0000052D: Constraint violation …`) which is kept: admins search for it.
 * Never includes the request, so no bound value or password leaks.
 */
function reason(err: ResultCodeError): string {
  const text = err.message.replace(/\s+/g, ' ').trim();
  return text === '' ? `LDAP result code ${err.code}` : text;
}

/** Node's certificate verification failures (unknown CA, wrong host name, expired). */
function isCertificateError(err: unknown): boolean {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return (
    code !== undefined &&
    (code.startsWith('ERR_TLS_CERT') || /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|LEAF_SIGNATURE/.test(code))
  );
}

/** A value that is already there (AD/Samba answer a duplicate `member` add with entryAlreadyExists). */
export function isValueExists(err: unknown): boolean {
  return err instanceof TypeOrValueExistsError || err instanceof AlreadyExistsError;
}

/**
 * A value that is not there: NoSuchAttribute, or Samba's unwillingToPerform
 * "Attribute member doesn't exist for target GUID" (it ignores permissive
 * modify for linked attributes).
 */
export function isValueAbsent(err: unknown): boolean {
  return (
    err instanceof NoSuchAttributeError ||
    (err instanceof UnwillingToPerformError && /doesn't exist for target GUID/i.test(err.message))
  );
}

/** True when the error means the connection is gone or unusable (the pool drops it). */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof ResultCodeError) return err instanceof UnavailableError || err instanceof BusyError;
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== undefined && CONNECTION_CODES.has(code)) return true;
  return /connection|socket|timeout|closed|not connected/i.test(err.message);
}

/**
 * Every LDAP failure → the ScimError a client sees, in one place.
 * `what` names the resource for messages ("User 2819c223…").
 */
export function mapLdapError(err: unknown, what = 'Resource'): ScimError {
  if (isScimError(err)) return err;
  if (err instanceof AlreadyExistsError)
    return scimErrors.uniqueness(`${what} already exists in the directory`);
  if (err instanceof NoSuchObjectError) return scimErrors.notFound(`${what} not found`);
  if (err instanceof ConstraintViolationError && AD_IN_USE.test(err.message)) {
    // Samba: "0000202F: samldb: userPrincipalName '…' is already in use" (the value is left out).
    return scimErrors.uniqueness(
      `${what}: ${AD_IN_USE.exec(err.message)?.[1] ?? 'a value'} is already in use`,
    );
  }
  if (AD_PASSWORD_POLICY.test(err instanceof ResultCodeError ? err.message : '')) {
    return scimErrors.invalidValue(
      `The directory refused the password (password policy): ${reason(err as ResultCodeError)}`,
    );
  }
  if (
    err instanceof ConstraintViolationError ||
    err instanceof ObjectClassViolationError ||
    err instanceof UnwillingToPerformError ||
    err instanceof InvalidSyntaxError ||
    err instanceof InvalidDNSyntaxError ||
    err instanceof NamingViolationError ||
    err instanceof NotAllowedOnRDNError ||
    err instanceof UndefinedTypeError ||
    err instanceof NoSuchAttributeError ||
    err instanceof TypeOrValueExistsError
  ) {
    return scimErrors.invalidValue(`The directory refused the change: ${reason(err)}`);
  }
  if (err instanceof NotAllowedOnNonLeafError) {
    return scimErrors.invalidValue(`${what} has entries below it in the directory and cannot be removed`);
  }
  if (err instanceof InsufficientAccessError) {
    return scimErrors.forbidden(`The service account may not do this in the directory: ${reason(err)}`);
  }
  if (err instanceof InvalidCredentialsError) {
    // A misconfigured bind is an outage for the client, not its fault.
    return scimErrors.unavailable(
      'The directory rejected the service account credentials',
      RETRY_AFTER_SECONDS,
    );
  }
  if (isCertificateError(err)) {
    // A DC whose certificate does not verify is an outage (and a config fix), never a plain-text fallback.
    return new ScimError(
      503,
      `The directory's TLS certificate was not accepted: ${(err as Error).message}`,
      undefined,
      { retryAfter: RETRY_AFTER_SECONDS, cause: err },
    );
  }
  if (err instanceof BusyError || err instanceof UnavailableError || isConnectionError(err)) {
    return new ScimError(503, 'The directory is not reachable; try again later', undefined, {
      retryAfter: RETRY_AFTER_SECONDS,
      cause: err,
    });
  }
  if (err instanceof ResultCodeError) {
    return new ScimError(500, `The directory answered with an error: ${reason(err)}`, undefined, {
      cause: err,
    });
  }
  return new ScimError(500, 'Unexpected error talking to the directory', undefined, { cause: err });
}
