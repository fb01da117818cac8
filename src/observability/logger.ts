import { pino, type Logger } from 'pino';

/** JSON logs on stdout; credentials are redacted wherever they appear in logged objects. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'context-mesh' },
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        'authorization',
        'apiKey',
        'adminKey',
        '*.apiKey',
        '*.password',
        'password',
      ],
      censor: '[redacted]',
    },
  });
}
