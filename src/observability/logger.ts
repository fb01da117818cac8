import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/** JSON logs on stdout (or `destination`); credentials are redacted wherever they appear in logged objects. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
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
  };
  return destination ? pino(options, destination) : pino(options);
}
