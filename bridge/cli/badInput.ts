/**
 * An error the user can fix: a bad file, argument or setting. The `nape` command prints its
 * message without a stack trace and exits with code 2, like a usage error.
 */
export class BadInputError extends Error {
  override name = 'BadInputError';
}
