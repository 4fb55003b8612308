/** A configuration the process refuses to start with; its message is one line naming the file and the problem. */
export class ConfigError extends Error {}
