export * from './job';
export * from './errors';
export * from './reducer';
export * from './clock';
export * from './backoff';
export * from './protocol';
export * from './cloneable';
export * from './fingerprint';
