// Bench entry: the runtime and the map and filter operators on `global`, built like the firmware.
import { Publisher } from '../../src/runtime/publisher';
import { SensorPub } from '../../src/runtime/sensor-pub';
import { Scheduler } from '../../src/runtime/scheduler';
import { map } from '../../src/runtime/ops/map';
import { filter } from '../../src/runtime/ops/filter';

var g: any = global;
g.Publisher = Publisher;
g.SensorPub = SensorPub;
g.Scheduler = Scheduler;
g.ops = { map: map, filter: filter };
