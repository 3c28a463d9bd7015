/**
 * Browser entry: the core over the `web` wasm-bindgen build (`import { loadFlexguard } from "flexguard/web"`).
 *
 * The web glue keeps one wasm instance per module record and `initSync` returns the cached one,
 * so a trapped instance cannot be replaced through the same import. We compile the wasm once and
 * import the glue again under a distinct URL (`?instance=N`) for each new instance: a new module
 * record, instantiated synchronously from the compiled module (no second download or compile).
 */
import { Engine, Flexguard } from "./core";

export * from "./core";
export { formatters } from "./format";

/** What the `web` glue exports besides the engine functions. */
interface WebGlue extends Engine {
  initSync(init: { module: WebAssembly.Module }): unknown;
}

export interface LoadOptions {
  /** URL of the web glue (`wasm/web/flexguard.js`). Default: the package's copy next to this file. */
  glueUrl?: string | URL;
  /** The wasm: a compiled module, its bytes, or a URL. Default: `flexguard_bg.wasm` next to the glue. */
  wasm?: WebAssembly.Module | BufferSource | string | URL;
}

async function compile(wasm: WebAssembly.Module | BufferSource | string | URL): Promise<WebAssembly.Module> {
  if (wasm instanceof WebAssembly.Module) return wasm;
  if (typeof wasm === "string" || wasm instanceof URL) {
    const response = await fetch(wasm);
    if (!response.ok) throw new Error(`flexguard: failed to fetch ${response.url}: HTTP ${response.status}`);
    // Not compileStreaming: plain static servers often send the wrong MIME type for .wasm.
    return WebAssembly.compile(await response.arrayBuffer());
  }
  return WebAssembly.compile(wasm);
}

/**
 * Fresh engine instances from one compiled module. One spare is kept ready so that `take()` is
 * synchronous (the core calls its factory synchronously); the next spare loads in the background.
 */
export class EngineFactory {
  #generation = 0;
  #spare: Engine | undefined;
  #loading: Promise<void> | undefined;

  private constructor(private readonly glueUrl: URL, readonly module: WebAssembly.Module) {}

  static async create(options: LoadOptions = {}): Promise<EngineFactory> {
    const glueUrl = new URL(String(options.glueUrl ?? new URL("../wasm/web/flexguard.js", import.meta.url)), globalThis.location?.href);
    const module = await compile(options.wasm ?? new URL("flexguard_bg.wasm", glueUrl));
    const factory = new EngineFactory(glueUrl, module);
    await factory.ready();
    return factory;
  }

  /** Resolves once a spare instance is ready. */
  ready(): Promise<void> {
    if (this.#spare) return Promise.resolve();
    return (this.#loading ??= this.#load()
      .then((engine) => {
        this.#spare = engine;
      })
      .finally(() => {
        this.#loading = undefined;
      }));
  }

  /** Hand out the spare instance and start loading the next one. */
  take(): Engine {
    const engine = this.#spare;
    if (!engine) throw new Error("flexguard: the engine is restarting after a crash; await ready() and retry");
    this.#spare = undefined;
    void this.ready().catch(() => undefined);
    return engine;
  }

  async #load(): Promise<Engine> {
    const url = new URL(this.glueUrl);
    url.searchParams.set("instance", String(this.#generation++));
    const glue = (await import(/* webpackIgnore: true */ /* @vite-ignore */ url.href)) as WebGlue;
    glue.initSync({ module: this.module });
    return glue;
  }
}

/** A `Flexguard` whose engine can be replaced after a trap; `ready()` before linting after one. */
export class BrowserFlexguard extends Flexguard {
  constructor(readonly factory: EngineFactory) {
    super(() => factory.take());
  }

  /** Resolves when linting can proceed (a replacement instance is loaded after a trap). */
  ready(): Promise<void> {
    return this.factory.ready();
  }
}

/** Compile the wasm, load a first instance and return the core over it. */
export async function loadFlexguard(options: LoadOptions = {}): Promise<BrowserFlexguard> {
  const flexguard = new BrowserFlexguard(await EngineFactory.create(options));
  flexguard.version(); // instantiate now, so that load errors surface here and not in the first lint
  await flexguard.ready(); // and have the spare loaded before the caller reports "ready"
  return flexguard;
}
