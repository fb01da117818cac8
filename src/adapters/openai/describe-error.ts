import OpenAI from 'openai';

/**
 * A short, safe description of a failed call to an OpenAI-compatible endpoint, and its HTTP status.
 * Servers sometimes echo the key ("Incorrect API key provided: sk-..."): it never reaches the text.
 */
export function describeOpenAIError(error: unknown, apiKey: string): { detail: string; status: number | undefined } {
  let status: number | undefined;
  let detail: string;
  if (error instanceof OpenAI.APIError) {
    status = error.status;
    detail =
      error instanceof OpenAI.APIConnectionTimeoutError
        ? 'request timed out'
        : error instanceof OpenAI.APIConnectionError
          ? `connection failed${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
          : status === 401 || status === 403
            ? `HTTP ${status}: authentication rejected (check the API key)`
            : `HTTP ${status ?? '?'}: ${error.message}`;
  } else detail = error instanceof Error ? error.message : String(error);
  return { detail: apiKey ? detail.split(apiKey).join('***') : detail, status };
}
