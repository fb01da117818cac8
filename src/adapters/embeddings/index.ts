/** Embedding adapters: pick one with `createEmbeddingProvider` from configuration. */
import type { EmbeddingProvider } from '../../domain/ports.js';
import { createLocalEmbeddingProvider, type LocalEmbeddingOptions } from './local-provider.js';
import { createOpenAIEmbeddingProvider, type OpenAIEmbeddingOptions } from './openai-provider.js';

export {
  createLocalEmbeddingProvider,
  LocalEmbeddingProvider,
  LOCAL_MODEL_NAMES,
  DEFAULT_LOCAL_MODEL,
  type LocalEmbeddingOptions,
  type LocalModelName,
} from './local-provider.js';
export { ensureMiniLmModel, findProjectDir } from './model-files.js';
export {
  createOpenAIEmbeddingProvider,
  OpenAIEmbeddingProvider,
  EmbeddingRequestError,
  type OpenAIEmbeddingOptions,
} from './openai-provider.js';

/** `{ provider: 'local', model?: 'minilm' | 'use-lite' }` (default 'minilm', e.g. from EMBEDDINGS_LOCAL_MODEL). */
export type EmbeddingConfig = ({ provider: 'local' } & LocalEmbeddingOptions) | ({ provider: 'openai' } & OpenAIEmbeddingOptions);

export function createEmbeddingProvider(config: EmbeddingConfig): Promise<EmbeddingProvider> {
  switch (config.provider) {
    case 'local': {
      const { provider: _provider, ...options } = config;
      return createLocalEmbeddingProvider(options);
    }
    case 'openai': {
      const { provider: _provider, ...options } = config;
      return createOpenAIEmbeddingProvider(options);
    }
  }
}
