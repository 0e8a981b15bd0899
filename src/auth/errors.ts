/** The errors of the OAuth client flows: each names what was wrong and where. */

/** What went wrong, as a stable code a program can branch on. */
export type OAuthErrorCode =
  | 'invalid_metadata'
  | 'metadata_not_found'
  | 'issuer_mismatch'
  | 'resource_mismatch'
  | 'pkce_unsupported'
  | 'unsafe_url'
  | 'private_address'
  | 'registration_rejected'
  | 'no_client'
  | 'authorization_failed'
  | 'state_mismatch'
  | 'token_error'
  | 'step_up_limit'
  | 'timeout'
  | 'response_too_large'
  | 'redirect_refused'
  | 'configuration';

/** A failure of discovery, registration, authorization or a token request. */
export class OAuthFlowError extends Error {
  /** What went wrong. */
  readonly code: OAuthErrorCode;
  /** The OAuth `error` the server sent, when it sent one. */
  readonly oauthError: string | undefined;

  constructor(code: OAuthErrorCode, message: string, options?: { cause?: unknown; oauthError?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OAuthFlowError';
    this.code = code;
    this.oauthError = options?.oauthError;
  }
}

/** The message of any thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
