// cdktf's Testing helpers register jest matchers (toHaveResource, toBeValidTerraform, ...).
import { Testing } from "cdktf";
Testing.setupJest();
