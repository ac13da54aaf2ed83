import { app } from '@azure/functions';
import { allFunctions } from './all.js';
import { withInvocationLog } from './invocation-logger.js';

// The Functions host loads this module; importing it registers triggers and does no I/O (services are lazy).
for (const definition of allFunctions) {
  switch (definition.kind) {
    case 'http':
      app.http(definition.name, {
        methods: definition.methods,
        authLevel: definition.authLevel,
        route: definition.route,
        handler: withInvocationLog(definition.handler),
      });
      break;
    case 'eventGrid':
      app.eventGrid(definition.name, { handler: withInvocationLog(definition.handler) });
      break;
    case 'timer':
      app.timer(definition.name, { schedule: definition.schedule, handler: withInvocationLog(definition.handler) });
      break;
  }
}
