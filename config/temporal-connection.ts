import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';

/** The Temporal connection (address, namespace, credentials) from Temporal's environment configuration. */
export interface TemporalConnectionSettings {
  /** Frontend address; absent when nothing is configured, and the embedded dev server is started instead. */
  address: string | undefined;
  /** Namespace; `default` unless configured. */
  namespace: string;
  /** TLS, API key and gRPC headers of the configured server; they never apply to the embedded dev server. */
  options: Pick<NativeConnectionOptions, 'tls' | 'apiKey' | 'metadata'>;
}

/**
 * Reads the Temporal connection with Temporal's own environment configuration: the `TEMPORAL_ADDRESS`,
 * `TEMPORAL_NAMESPACE`, `TEMPORAL_API_KEY`, `TEMPORAL_TLS*` and `TEMPORAL_GRPC_META_*` variables, over the
 * profile `TEMPORAL_PROFILE` (else `default`) of the config file `TEMPORAL_CONFIG_FILE` (else the Temporal CLI's
 * default file). The same settings then reach a self-hosted cluster or Temporal Cloud, as the Temporal CLI does.
 */
export function loadTemporalConnectionSettings(env: NodeJS.ProcessEnv): TemporalConnectionSettings {
  const variables = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  let loaded: ReturnType<typeof loadClientConnectConfig>;
  try {
    loaded = loadClientConnectConfig({ overrideEnvVars: variables });
  } catch (error) {
    throw new Error(`Invalid Temporal connection settings (TEMPORAL_* variables or profile file): ${(error as Error).message}`, { cause: error });
  }

  const { address, tls, apiKey, metadata } = loaded.connectionOptions;
  return {
    address: address || undefined,
    namespace: loaded.namespace || 'default',
    options: {
      ...(tls !== undefined ? { tls } : {}),
      ...(apiKey !== undefined ? { apiKey } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
    },
  };
}

/** Returns the options to connect to `address`: with the configured TLS and credentials when it is the configured server. */
export function connectOptionsFor(settings: { temporal: TemporalConnectionSettings }, address: string): NativeConnectionOptions {
  return address === settings.temporal.address ? { address, ...settings.temporal.options } : { address };
}
