import type { PastContextPage } from '../src/app/history/time-travel.js';
import type { Resolvers } from './__generated__/types.js';

/** Valid time on reads: what a `contexts` page left out, counted only when the field is selected. */
export const validTimeResolvers = {
  ContextConnection: {
    // A page read with `asOf` counts what it left out as of the same point (src/app/history/time-travel.ts).
    leftOut: (connection, _args, { viewer, services }) =>
      'asOf' in connection.leftOutOf
        ? services.timeTravel.leftOut(viewer, connection.leftOutOf as PastContextPage['leftOutOf'])
        : services.contexts.leftOut(viewer, connection.leftOutOf),
  },
} satisfies Resolvers;
