// The Storage file where commands keep the settings they changed (commands.ts), applied again at boot; deep sleep
// reads the wake period a command set there (src/power). The build writes the name in where it is used.

/** The settings changed by commands, as JSON. */
export const SETTINGS_FILE = 'luxgraph.json';
