import functions from '@azure/functions';

/**
 * @azure/functions is CommonJS and node's ESM loader cannot see its class exports by name
 * (vitest can, which hides the problem): take them from the default export once, here.
 */
export const { HttpRequest, InvocationContext } = functions;
