/**
 * Summarizer for any OpenAI-compatible `/v1/chat/completions` endpoint, through the official `openai` client.
 *
 * The API key lives only inside the client and a private field; it is scrubbed from every error message,
 * so logging the summarizer's errors (the router reports them through `onLlmError`) cannot leak it.
 */
import OpenAI from 'openai';
import type { Summarizer } from '../../domain/routing/compression.js';
import { sentenceEnds, type SummaryItem } from '../../domain/routing/extractive-summary.js';
import { describeOpenAIError } from '../openai/describe-error.js';

export interface OpenAISummarizerOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  /**
   * Per-request timeout. Default 15 s: the summary is on the path of every `contextFor` that overflows,
   * and the router falls back to a local extractive summary, so waiting longer rarely pays.
   */
  timeoutMs?: number;
  /** Client-side retries on 408/409/429/5xx and network errors. Default 1: one retry absorbs a blip while an outage costs at most two timeouts before the fallback. */
  maxRetries?: number;
}

export class SummarizerRequestError extends Error {
  override readonly name = 'SummarizerRequestError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

/** Instructions for the model, stating the token limit of the answer. */
function systemPrompt(maxTokens: number): string {
  return [
    'You compress shared context for another AI agent that cannot read the originals.',
    `Write a dense summary of the context objects below in at most ${maxTokens} tokens.`,
    'Keep concrete facts, numbers, names, decisions and constraints; drop filler and repetition.',
    'Cite the source of each statement by its id in square brackets, e.g. [ctx-42].',
    'Higher relevance means more important. Output only the summary, no preamble.',
  ].join(' ');
}

function userPrompt(items: readonly SummaryItem[]): string {
  return items.map((it) => `[${it.id}] (relevance ${it.score.toFixed(2)})\n${it.text.trim()}`).join('\n\n');
}

class OpenAISummarizer implements Summarizer {
  readonly method = 'LLM' as const;
  readonly #client: OpenAI;
  readonly #apiKey: string;
  readonly #baseURL: string;
  readonly #model: string;

  constructor(options: OpenAISummarizerOptions) {
    this.#apiKey = options.apiKey;
    this.#baseURL = options.baseURL;
    this.#model = options.model;
    this.#client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey,
      timeout: options.timeoutMs ?? 15_000,
      maxRetries: options.maxRetries ?? 1,
    });
  }

  async summarize(items: readonly SummaryItem[], maxTokens: number): Promise<string> {
    let res: OpenAI.Chat.Completions.ChatCompletion;
    try {
      res = await this.#client.chat.completions.create({
        model: this.#model,
        messages: [
          { role: 'system', content: systemPrompt(maxTokens) },
          { role: 'user', content: userPrompt(items) },
        ],
        // The model's tokenizer may differ from ours: the router recounts and enforces the limit anyway.
        max_tokens: Math.max(1, Math.floor(maxTokens)),
        temperature: 0, // the same leftovers should read the same way twice
      });
    } catch (e) {
      throw this.#wrap(e);
    }
    const choice = res.choices[0];
    const text = choice?.message.content?.trim() ?? '';
    if (text === '') throw new SummarizerRequestError(`${this.#where()} returned no summary text`, undefined);
    // Cut off by max_tokens: end at the last complete sentence rather than mid-word, when there is one.
    if (choice?.finish_reason === 'length') {
      const ends = sentenceEnds(text);
      const complete = /[.!?…]["'”’)\]]*$/.test(text) ? text.length : (ends.at(-2) ?? 0); // the last "end" is the cut itself
      if (complete > 0) return text.slice(0, complete).trimEnd();
    }
    return text;
  }

  #where(): string {
    return `chat completions endpoint ${this.#baseURL} (model ${this.#model})`;
  }

  #wrap(e: unknown): SummarizerRequestError {
    const { detail, status } = describeOpenAIError(e, this.#apiKey);
    return new SummarizerRequestError(`${this.#where()} failed: ${detail}`, status);
  }
}

export function createOpenAISummarizer(options: OpenAISummarizerOptions): Summarizer {
  return new OpenAISummarizer(options);
}
