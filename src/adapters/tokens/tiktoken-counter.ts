import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import type { TokenCounter } from '../../domain/ports.js';

/**
 * Real token counts with OpenAI's o200k_base encoding (GPT-4o family). The ranks ship
 * inside js-tiktoken, so counting works offline; building the encoder costs ~100 ms,
 * so one instance serves the whole process.
 */
export function createTokenCounter(): TokenCounter {
  const encoder = new Tiktoken(o200kBase);
  return {
    encoding: 'o200k_base',
    count: (text) => encoder.encode(text).length,
  };
}
