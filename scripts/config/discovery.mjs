// Home Assistant MQTT discovery: the retained config message that makes the lux sensor appear in Home Assistant
// by itself. Made at build time, so the device only sends a finished string.

/** Topic-safe object id: Home Assistant allows [a-zA-Z0-9_-]. */
const objectId = (s) => s.replace(/[^a-zA-Z0-9_-]/g, '_');

/** [config topic, payload] for the sensor of a validated firmware config. */
export function discoveryMessage(fw) {
  const m = fw.mqtt;
  const id = objectId(`${m.clientId}_${fw.sensor.id}`);
  const config = {
    name: fw.sensor.id,
    uniq_id: id,
    stat_t: m.topic.replace('{id}', fw.sensor.id),
    unit_of_meas: 'lx',
    dev_cla: 'illuminance',
    stat_cla: 'measurement',
    val_tpl: m.format == 'object' ? '{{ value_json.lux }}' : '{{ value_json[2] }}',
    avty_t: `${m.base}/status`,
    dev: { ids: [objectId(m.clientId)], name: m.clientId, mf: 'luxgraph' }
  };
  return [`${m.discoveryPrefix}/sensor/${id}/config`, JSON.stringify(config)];
}
