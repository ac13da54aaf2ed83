import Module from 'node:module';

/**
 * A stand-in for `@azure/functions-core`, the module the Azure Functions Node worker injects (it patches
 * Module.prototype.require so that `require('@azure/functions-core')` returns its API). It speaks the worker's interface:
 * registerFunction(metadata, callback), registerHook(name, callback), setProgrammingModel/getProgrammingModel, log,
 * Disposable, version/hostVersion; and invokes functions the way the worker's invocation handler does
 * (getInvocationModel → getArguments → invokeFunction → getResponse).
 */
export interface RpcBinding { type: string; direction: 'in' | 'out'; [property: string]: unknown }
export interface FunctionMetadata { name: string; bindings: Record<string, RpcBinding>; [property: string]: unknown }
export type RpcTypedData = { string?: string; json?: string; http?: Record<string, unknown>; bytes?: Uint8Array };
interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], handler: (...args: unknown[]) => unknown): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<{ invocationId: string; returnValue?: RpcTypedData | null; outputData?: unknown[] }>;
}
interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreCtx: unknown): InvocationModel;
  getCapabilities(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

class Disposable {
  constructor(private readonly onDispose: () => void) {}
  static from(...items: Array<{ dispose(): void }>): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

export interface CoreLog { level: string; category: string; message: string; invocationId?: string }

export class FakeCore {
  readonly functions = new Map<string, { metadata: FunctionMetadata; callback: (...args: unknown[]) => unknown }>();
  readonly hooks: string[] = [];
  readonly logs: CoreLog[] = [];
  programmingModel: ProgrammingModel | undefined;
  private restore: (() => void) | undefined;

  /** The module object `require('@azure/functions-core')` returns. */
  readonly api = {
    version: '3.10.1',
    hostVersion: '4.1041.200',
    Disposable,
    registerFunction: (metadata: FunctionMetadata, callback: (...args: unknown[]) => unknown) => {
      if (this.functions.has(metadata.name)) throw new Error(`function ${metadata.name} registered twice`);
      this.functions.set(metadata.name, { metadata, callback });
      return new Disposable(() => this.functions.delete(metadata.name));
    },
    registerHook: (name: string) => {
      this.hooks.push(name);
      return new Disposable(() => undefined);
    },
    setProgrammingModel: (model: ProgrammingModel) => {
      this.programmingModel = model;
    },
    getProgrammingModel: () => this.programmingModel,
    log: (level: string, category: string, message: string) => void this.logs.push({ level, category, message }),
  };

  /** Injects the module the way the worker does. */
  install(): void {
    const prototype = Module.prototype as unknown as { require: (id: string) => unknown };
    const original = prototype.require;
    const api = this.api;
    prototype.require = new Proxy(original, {
      apply(target, thisArg, args: [string]) {
        return args[0] === '@azure/functions-core' ? api : Reflect.apply(target, thisArg, args);
      },
    });
    this.restore = () => {
      prototype.require = original;
    };
  }

  uninstall(): void {
    this.restore?.();
  }

  /** One invocation through the programming model, as the worker's InvocationHandler runs it. */
  async invoke(name: string, inputData: Array<{ name: string; data: RpcTypedData }>, triggerMetadata: Record<string, RpcTypedData> = {}) {
    const registered = this.functions.get(name);
    if (registered === undefined || this.programmingModel === undefined) throw new Error(`no function ${name}`);
    const invocationId = `inv-${name}-${this.logs.length}`;
    const coreCtx = {
      invocationId,
      request: { invocationId, functionId: name, inputData, triggerMetadata },
      metadata: { ...registered.metadata, name },
      state: 'invocation',
      log: (level: string, category: string, message: string) => void this.logs.push({ level, category, message, invocationId }),
    };
    const model = this.programmingModel.getInvocationModel(coreCtx);
    const { context, inputs } = await model.getArguments();
    const result = await model.invokeFunction(context, inputs, registered.callback);
    return { invocationId, context, inputs, response: await model.getResponse(context, result) };
  }
}
