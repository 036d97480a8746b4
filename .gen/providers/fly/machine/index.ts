// https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface MachineConfig extends cdktf.TerraformMetaArguments {
  /**
  * Application name the machine belongs to.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#app Machine#app}
  */
  readonly app: string;
  /**
  * State to converge the machine to after create/update: "started" (default) starts the machine and waits for checks; "stopped" stops it and skips check waits. Null behaves as "started". Use "stopped" to park a machine that has no services for Fly Proxy to manage.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#desired_state Machine#desired_state}
  */
  readonly desiredState?: string;
  /**
  * Environment variables. Ignored by Fly once any `container` block is declared; set `env` on the container instead.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#env Machine#env}
  */
  readonly env?: { [key: string]: string };
  /**
  * Maximum time to wait for the health check (Go duration, default "60s").
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#health_check_timeout Machine#health_check_timeout}
  */
  readonly healthCheckTimeout?: string;
  /**
  * URL to poll after creation (e.g. "http://app.flycast:8081/health"). Machine is not marked created until this returns 200.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#health_check_url Machine#health_check_url}
  */
  readonly healthCheckUrl?: string;
  /**
  * Docker image to run. Ignored by Fly once any `container` block is declared, but still required; set it to the main container's image.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#image Machine#image}
  */
  readonly image: string;
  /**
  * Machine metadata key/value pairs. The reserved `fly_process_group` key controls which `<group>.process.<app>.internal` 6PN DNS name resolves to this machine. Changes apply via UpdateMachine in-place (machine restart) — Fly's DNS picks up the new group without a fresh machine, confirmed by the feature owner.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#metadata Machine#metadata}
  */
  readonly metadata?: { [key: string]: string };
  /**
  * Minimum app secrets version the machine must be started with. Used to activate staged secrets on a new machine — set to the version returned by fly_secret.*.version.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#min_secrets_version Machine#min_secrets_version}
  */
  readonly minSecretsVersion?: number;
  /**
  * Machine name. Used for idempotent creation. Immutable after create: Fly's Machines API accepts a `name` field in UpdateMachine but silently ignores it, so a post-create config change to `name` is absorbed with a warning rather than planned — importing a flyctl-deployed machine (auto-generated `weathered-frog-7982`) into a resource declaring `web-1` keeps the live name in state instead of forcing destroy+recreate. To genuinely rename, taint and recreate the machine.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#name Machine#name}
  */
  readonly name?: string;
  /**
  * Fly.io region (e.g. "iad", "ord").
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#region Machine#region}
  */
  readonly region?: string;
  /**
  * check block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#check Machine#check}
  */
  readonly check?: MachineCheck[] | cdktf.IResolvable;
  /**
  * container block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#container Machine#container}
  */
  readonly container?: MachineContainer[] | cdktf.IResolvable;
  /**
  * file block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#file Machine#file}
  */
  readonly file?: MachineFile[] | cdktf.IResolvable;
  /**
  * guest block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#guest Machine#guest}
  */
  readonly guest?: MachineGuest;
  /**
  * metrics block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#metrics Machine#metrics}
  */
  readonly metrics?: MachineMetrics;
  /**
  * mount block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#mount Machine#mount}
  */
  readonly mount?: MachineMount[] | cdktf.IResolvable;
  /**
  * restart block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#restart Machine#restart}
  */
  readonly restart?: MachineRestart;
  /**
  * service block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#service Machine#service}
  */
  readonly service?: MachineService[] | cdktf.IResolvable;
}
export interface MachineCheck {
  /**
  * Time to wait after the machine starts before checking (e.g. "10s"). Covers boot time that would otherwise be reported as failure.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#grace_period Machine#grace_period}
  */
  readonly gracePeriod?: string;
  /**
  * Time between checks (e.g. "10s").
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#interval Machine#interval}
  */
  readonly interval?: string;
  /**
  * HTTP method. Only meaningful for type "http"; defaults to GET.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#method Machine#method}
  */
  readonly method?: string;
  /**
  * Check name. Becomes the key in the API's checks map, so it must be unique within the machine.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#name Machine#name}
  */
  readonly name: string;
  /**
  * HTTP path to request. Only meaningful for type "http".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#path Machine#path}
  */
  readonly path?: string;
  /**
  * Port to check on the machine's 6PN address.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#port Machine#port}
  */
  readonly port: number;
  /**
  * Maximum time a single check may take before it counts as failing (e.g. "5s").
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#timeout Machine#timeout}
  */
  readonly timeout?: string;
  /**
  * Check type: "tcp" or "http".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#type Machine#type}
  */
  readonly type: string;
}

export function machineCheckToTerraform(struct?: MachineCheck | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    grace_period: cdktf.stringToTerraform(struct!.gracePeriod),
    interval: cdktf.stringToTerraform(struct!.interval),
    method: cdktf.stringToTerraform(struct!.method),
    name: cdktf.stringToTerraform(struct!.name),
    path: cdktf.stringToTerraform(struct!.path),
    port: cdktf.numberToTerraform(struct!.port),
    timeout: cdktf.stringToTerraform(struct!.timeout),
    type: cdktf.stringToTerraform(struct!.type),
  }
}


export function machineCheckToHclTerraform(struct?: MachineCheck | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    grace_period: {
      value: cdktf.stringToHclTerraform(struct!.gracePeriod),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    interval: {
      value: cdktf.stringToHclTerraform(struct!.interval),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    method: {
      value: cdktf.stringToHclTerraform(struct!.method),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    name: {
      value: cdktf.stringToHclTerraform(struct!.name),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    path: {
      value: cdktf.stringToHclTerraform(struct!.path),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    port: {
      value: cdktf.numberToHclTerraform(struct!.port),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    timeout: {
      value: cdktf.stringToHclTerraform(struct!.timeout),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    type: {
      value: cdktf.stringToHclTerraform(struct!.type),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineCheckOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): MachineCheck | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._gracePeriod !== undefined) {
      hasAnyValues = true;
      internalValueResult.gracePeriod = this._gracePeriod;
    }
    if (this._interval !== undefined) {
      hasAnyValues = true;
      internalValueResult.interval = this._interval;
    }
    if (this._method !== undefined) {
      hasAnyValues = true;
      internalValueResult.method = this._method;
    }
    if (this._name !== undefined) {
      hasAnyValues = true;
      internalValueResult.name = this._name;
    }
    if (this._path !== undefined) {
      hasAnyValues = true;
      internalValueResult.path = this._path;
    }
    if (this._port !== undefined) {
      hasAnyValues = true;
      internalValueResult.port = this._port;
    }
    if (this._timeout !== undefined) {
      hasAnyValues = true;
      internalValueResult.timeout = this._timeout;
    }
    if (this._type !== undefined) {
      hasAnyValues = true;
      internalValueResult.type = this._type;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineCheck | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._gracePeriod = undefined;
      this._interval = undefined;
      this._method = undefined;
      this._name = undefined;
      this._path = undefined;
      this._port = undefined;
      this._timeout = undefined;
      this._type = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._gracePeriod = value.gracePeriod;
      this._interval = value.interval;
      this._method = value.method;
      this._name = value.name;
      this._path = value.path;
      this._port = value.port;
      this._timeout = value.timeout;
      this._type = value.type;
    }
  }

  // grace_period - computed: false, optional: true, required: false
  private _gracePeriod?: string; 
  public get gracePeriod() {
    return this.getStringAttribute('grace_period');
  }
  public set gracePeriod(value: string) {
    this._gracePeriod = value;
  }
  public resetGracePeriod() {
    this._gracePeriod = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get gracePeriodInput() {
    return this._gracePeriod;
  }

  // interval - computed: false, optional: true, required: false
  private _interval?: string; 
  public get interval() {
    return this.getStringAttribute('interval');
  }
  public set interval(value: string) {
    this._interval = value;
  }
  public resetInterval() {
    this._interval = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get intervalInput() {
    return this._interval;
  }

  // method - computed: false, optional: true, required: false
  private _method?: string; 
  public get method() {
    return this.getStringAttribute('method');
  }
  public set method(value: string) {
    this._method = value;
  }
  public resetMethod() {
    this._method = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get methodInput() {
    return this._method;
  }

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // path - computed: false, optional: true, required: false
  private _path?: string; 
  public get path() {
    return this.getStringAttribute('path');
  }
  public set path(value: string) {
    this._path = value;
  }
  public resetPath() {
    this._path = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get pathInput() {
    return this._path;
  }

  // port - computed: false, optional: false, required: true
  private _port?: number; 
  public get port() {
    return this.getNumberAttribute('port');
  }
  public set port(value: number) {
    this._port = value;
  }
  // Temporarily expose input value. Use with caution.
  public get portInput() {
    return this._port;
  }

  // timeout - computed: false, optional: true, required: false
  private _timeout?: string; 
  public get timeout() {
    return this.getStringAttribute('timeout');
  }
  public set timeout(value: string) {
    this._timeout = value;
  }
  public resetTimeout() {
    this._timeout = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get timeoutInput() {
    return this._timeout;
  }

  // type - computed: false, optional: false, required: true
  private _type?: string; 
  public get type() {
    return this.getStringAttribute('type');
  }
  public set type(value: string) {
    this._type = value;
  }
  // Temporarily expose input value. Use with caution.
  public get typeInput() {
    return this._type;
  }
}

export class MachineCheckList extends cdktf.ComplexList {
  public internalValue? : MachineCheck[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): MachineCheckOutputReference {
    return new MachineCheckOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MachineContainerDependsOn {
  /**
  * Required dependency state: "started", "healthy", or "exited_successfully".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#condition Machine#condition}
  */
  readonly condition?: string;
  /**
  * Name of another container on this machine that this container depends on.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#name Machine#name}
  */
  readonly name: string;
}

export function machineContainerDependsOnToTerraform(struct?: MachineContainerDependsOn | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    condition: cdktf.stringToTerraform(struct!.condition),
    name: cdktf.stringToTerraform(struct!.name),
  }
}


export function machineContainerDependsOnToHclTerraform(struct?: MachineContainerDependsOn | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    condition: {
      value: cdktf.stringToHclTerraform(struct!.condition),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    name: {
      value: cdktf.stringToHclTerraform(struct!.name),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineContainerDependsOnOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): MachineContainerDependsOn | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._condition !== undefined) {
      hasAnyValues = true;
      internalValueResult.condition = this._condition;
    }
    if (this._name !== undefined) {
      hasAnyValues = true;
      internalValueResult.name = this._name;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineContainerDependsOn | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._condition = undefined;
      this._name = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._condition = value.condition;
      this._name = value.name;
    }
  }

  // condition - computed: false, optional: true, required: false
  private _condition?: string; 
  public get condition() {
    return this.getStringAttribute('condition');
  }
  public set condition(value: string) {
    this._condition = value;
  }
  public resetCondition() {
    this._condition = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get conditionInput() {
    return this._condition;
  }

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }
}

export class MachineContainerDependsOnList extends cdktf.ComplexList {
  public internalValue? : MachineContainerDependsOn[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): MachineContainerDependsOnOutputReference {
    return new MachineContainerDependsOnOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MachineContainerFile {
  /**
  * Absolute path inside the container where the file is written.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#guest_path Machine#guest_path}
  */
  readonly guestPath: string;
  /**
  * File mode bits.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#mode Machine#mode}
  */
  readonly mode?: number;
  /**
  * Base64-encoded file contents.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#raw_value Machine#raw_value}
  */
  readonly rawValue?: string;
  /**
  * Name of an app secret whose value is the base64-encoded file contents.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#secret_name Machine#secret_name}
  */
  readonly secretName?: string;
}

export function machineContainerFileToTerraform(struct?: MachineContainerFile | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    guest_path: cdktf.stringToTerraform(struct!.guestPath),
    mode: cdktf.numberToTerraform(struct!.mode),
    raw_value: cdktf.stringToTerraform(struct!.rawValue),
    secret_name: cdktf.stringToTerraform(struct!.secretName),
  }
}


export function machineContainerFileToHclTerraform(struct?: MachineContainerFile | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    guest_path: {
      value: cdktf.stringToHclTerraform(struct!.guestPath),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    mode: {
      value: cdktf.numberToHclTerraform(struct!.mode),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    raw_value: {
      value: cdktf.stringToHclTerraform(struct!.rawValue),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    secret_name: {
      value: cdktf.stringToHclTerraform(struct!.secretName),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineContainerFileOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): MachineContainerFile | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._guestPath !== undefined) {
      hasAnyValues = true;
      internalValueResult.guestPath = this._guestPath;
    }
    if (this._mode !== undefined) {
      hasAnyValues = true;
      internalValueResult.mode = this._mode;
    }
    if (this._rawValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.rawValue = this._rawValue;
    }
    if (this._secretName !== undefined) {
      hasAnyValues = true;
      internalValueResult.secretName = this._secretName;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineContainerFile | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._guestPath = undefined;
      this._mode = undefined;
      this._rawValue = undefined;
      this._secretName = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._guestPath = value.guestPath;
      this._mode = value.mode;
      this._rawValue = value.rawValue;
      this._secretName = value.secretName;
    }
  }

  // guest_path - computed: false, optional: false, required: true
  private _guestPath?: string; 
  public get guestPath() {
    return this.getStringAttribute('guest_path');
  }
  public set guestPath(value: string) {
    this._guestPath = value;
  }
  // Temporarily expose input value. Use with caution.
  public get guestPathInput() {
    return this._guestPath;
  }

  // mode - computed: false, optional: true, required: false
  private _mode?: number; 
  public get mode() {
    return this.getNumberAttribute('mode');
  }
  public set mode(value: number) {
    this._mode = value;
  }
  public resetMode() {
    this._mode = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get modeInput() {
    return this._mode;
  }

  // raw_value - computed: false, optional: true, required: false
  private _rawValue?: string; 
  public get rawValue() {
    return this.getStringAttribute('raw_value');
  }
  public set rawValue(value: string) {
    this._rawValue = value;
  }
  public resetRawValue() {
    this._rawValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get rawValueInput() {
    return this._rawValue;
  }

  // secret_name - computed: false, optional: true, required: false
  private _secretName?: string; 
  public get secretName() {
    return this.getStringAttribute('secret_name');
  }
  public set secretName(value: string) {
    this._secretName = value;
  }
  public resetSecretName() {
    this._secretName = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get secretNameInput() {
    return this._secretName;
  }
}

export class MachineContainerFileList extends cdktf.ComplexList {
  public internalValue? : MachineContainerFile[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): MachineContainerFileOutputReference {
    return new MachineContainerFileOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MachineContainerHealthcheckExec {
  /**
  * Command and arguments, e.g. ["vault", "status"]. An argv list, not a shell line — use ["/bin/sh", "-c", "..."] when you need shell semantics.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#command Machine#command}
  */
  readonly command: string[];
}

export function machineContainerHealthcheckExecToTerraform(struct?: MachineContainerHealthcheckExec | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    command: cdktf.listMapper(cdktf.stringToTerraform, false)(struct!.command),
  }
}


export function machineContainerHealthcheckExecToHclTerraform(struct?: MachineContainerHealthcheckExec | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    command: {
      value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(struct!.command),
      isBlock: false,
      type: "list",
      storageClassType: "stringList",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineContainerHealthcheckExecOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): MachineContainerHealthcheckExec | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._command !== undefined) {
      hasAnyValues = true;
      internalValueResult.command = this._command;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineContainerHealthcheckExec | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._command = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._command = value.command;
    }
  }

  // command - computed: false, optional: false, required: true
  private _command?: string[]; 
  public get command() {
    return this.getListAttribute('command');
  }
  public set command(value: string[]) {
    this._command = value;
  }
  // Temporarily expose input value. Use with caution.
  public get commandInput() {
    return this._command;
  }
}
export interface MachineContainerHealthcheckHttp {
  /**
  * HTTP method. Defaults to Fly's default (GET) when unset.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#method Machine#method}
  */
  readonly method?: string;
  /**
  * Path to request.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#path Machine#path}
  */
  readonly path?: string;
  /**
  * Port to check.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#port Machine#port}
  */
  readonly port: number;
  /**
  * "http" or "https". Defaults to Fly's default (http) when unset.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#scheme Machine#scheme}
  */
  readonly scheme?: string;
  /**
  * Hostname to validate the TLS certificate against. Only meaningful when scheme is "https".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#tls_server_name Machine#tls_server_name}
  */
  readonly tlsServerName?: string;
  /**
  * Skip TLS certificate validation. Only meaningful when scheme is "https"; the usual case is a health endpoint behind a self-signed certificate on loopback.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#tls_skip_verify Machine#tls_skip_verify}
  */
  readonly tlsSkipVerify?: boolean | cdktf.IResolvable;
}

export function machineContainerHealthcheckHttpToTerraform(struct?: MachineContainerHealthcheckHttp | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    method: cdktf.stringToTerraform(struct!.method),
    path: cdktf.stringToTerraform(struct!.path),
    port: cdktf.numberToTerraform(struct!.port),
    scheme: cdktf.stringToTerraform(struct!.scheme),
    tls_server_name: cdktf.stringToTerraform(struct!.tlsServerName),
    tls_skip_verify: cdktf.booleanToTerraform(struct!.tlsSkipVerify),
  }
}


export function machineContainerHealthcheckHttpToHclTerraform(struct?: MachineContainerHealthcheckHttp | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    method: {
      value: cdktf.stringToHclTerraform(struct!.method),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    path: {
      value: cdktf.stringToHclTerraform(struct!.path),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    port: {
      value: cdktf.numberToHclTerraform(struct!.port),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    scheme: {
      value: cdktf.stringToHclTerraform(struct!.scheme),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    tls_server_name: {
      value: cdktf.stringToHclTerraform(struct!.tlsServerName),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    tls_skip_verify: {
      value: cdktf.booleanToHclTerraform(struct!.tlsSkipVerify),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineContainerHealthcheckHttpOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): MachineContainerHealthcheckHttp | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._method !== undefined) {
      hasAnyValues = true;
      internalValueResult.method = this._method;
    }
    if (this._path !== undefined) {
      hasAnyValues = true;
      internalValueResult.path = this._path;
    }
    if (this._port !== undefined) {
      hasAnyValues = true;
      internalValueResult.port = this._port;
    }
    if (this._scheme !== undefined) {
      hasAnyValues = true;
      internalValueResult.scheme = this._scheme;
    }
    if (this._tlsServerName !== undefined) {
      hasAnyValues = true;
      internalValueResult.tlsServerName = this._tlsServerName;
    }
    if (this._tlsSkipVerify !== undefined) {
      hasAnyValues = true;
      internalValueResult.tlsSkipVerify = this._tlsSkipVerify;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineContainerHealthcheckHttp | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._method = undefined;
      this._path = undefined;
      this._port = undefined;
      this._scheme = undefined;
      this._tlsServerName = undefined;
      this._tlsSkipVerify = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._method = value.method;
      this._path = value.path;
      this._port = value.port;
      this._scheme = value.scheme;
      this._tlsServerName = value.tlsServerName;
      this._tlsSkipVerify = value.tlsSkipVerify;
    }
  }

  // method - computed: false, optional: true, required: false
  private _method?: string; 
  public get method() {
    return this.getStringAttribute('method');
  }
  public set method(value: string) {
    this._method = value;
  }
  public resetMethod() {
    this._method = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get methodInput() {
    return this._method;
  }

  // path - computed: false, optional: true, required: false
  private _path?: string; 
  public get path() {
    return this.getStringAttribute('path');
  }
  public set path(value: string) {
    this._path = value;
  }
  public resetPath() {
    this._path = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get pathInput() {
    return this._path;
  }

  // port - computed: false, optional: false, required: true
  private _port?: number; 
  public get port() {
    return this.getNumberAttribute('port');
  }
  public set port(value: number) {
    this._port = value;
  }
  // Temporarily expose input value. Use with caution.
  public get portInput() {
    return this._port;
  }

  // scheme - computed: false, optional: true, required: false
  private _scheme?: string; 
  public get scheme() {
    return this.getStringAttribute('scheme');
  }
  public set scheme(value: string) {
    this._scheme = value;
  }
  public resetScheme() {
    this._scheme = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get schemeInput() {
    return this._scheme;
  }

  // tls_server_name - computed: false, optional: true, required: false
  private _tlsServerName?: string; 
  public get tlsServerName() {
    return this.getStringAttribute('tls_server_name');
  }
  public set tlsServerName(value: string) {
    this._tlsServerName = value;
  }
  public resetTlsServerName() {
    this._tlsServerName = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get tlsServerNameInput() {
    return this._tlsServerName;
  }

  // tls_skip_verify - computed: false, optional: true, required: false
  private _tlsSkipVerify?: boolean | cdktf.IResolvable; 
  public get tlsSkipVerify() {
    return this.getBooleanAttribute('tls_skip_verify');
  }
  public set tlsSkipVerify(value: boolean | cdktf.IResolvable) {
    this._tlsSkipVerify = value;
  }
  public resetTlsSkipVerify() {
    this._tlsSkipVerify = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get tlsSkipVerifyInput() {
    return this._tlsSkipVerify;
  }
}
export interface MachineContainerHealthcheckTcp {
  /**
  * Port to check.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#port Machine#port}
  */
  readonly port: number;
}

export function machineContainerHealthcheckTcpToTerraform(struct?: MachineContainerHealthcheckTcp | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    port: cdktf.numberToTerraform(struct!.port),
  }
}


export function machineContainerHealthcheckTcpToHclTerraform(struct?: MachineContainerHealthcheckTcp | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    port: {
      value: cdktf.numberToHclTerraform(struct!.port),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineContainerHealthcheckTcpOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): MachineContainerHealthcheckTcp | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._port !== undefined) {
      hasAnyValues = true;
      internalValueResult.port = this._port;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineContainerHealthcheckTcp | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._port = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._port = value.port;
    }
  }

  // port - computed: false, optional: false, required: true
  private _port?: number; 
  public get port() {
    return this.getNumberAttribute('port');
  }
  public set port(value: number) {
    this._port = value;
  }
  // Temporarily expose input value. Use with caution.
  public get portInput() {
    return this._port;
  }
}
export interface MachineContainerHealthcheck {
  /**
  * Command check: the container is healthy while the command exits 0. The command runs inside this container, so its image has to contain it.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#exec Machine#exec}
  */
  readonly exec?: MachineContainerHealthcheckExec;
  /**
  * Consecutive failures before the container counts as unhealthy.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#failure_threshold Machine#failure_threshold}
  */
  readonly failureThreshold?: number;
  /**
  * Seconds to wait after the container starts before checking. Covers boot time that would otherwise be reported as failure.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#grace_period_seconds Machine#grace_period_seconds}
  */
  readonly gracePeriodSeconds?: number;
  /**
  * HTTP request check. Use for a service that listens before it is ready to serve, where a TCP connect would report healthy too early.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#http Machine#http}
  */
  readonly http?: MachineContainerHealthcheckHttp;
  /**
  * Seconds between checks. Seconds, not a duration string — the machine-level `check` block's `interval` is the duration-string one.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#interval_seconds Machine#interval_seconds}
  */
  readonly intervalSeconds?: number;
  /**
  * Check kind: "readiness" or "liveness". Use "readiness" for a check that another container's `depends_on { condition = "healthy" }` should wait on.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#kind Machine#kind}
  */
  readonly kind?: string;
  /**
  * Check name. Must be unique within the container.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#name Machine#name}
  */
  readonly name: string;
  /**
  * Consecutive successes before the container counts as healthy.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#success_threshold Machine#success_threshold}
  */
  readonly successThreshold?: number;
  /**
  * TCP connect check: the container is healthy while the port accepts a connection.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#tcp Machine#tcp}
  */
  readonly tcp?: MachineContainerHealthcheckTcp;
  /**
  * Seconds a single check may take before it counts as failing.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#timeout_seconds Machine#timeout_seconds}
  */
  readonly timeoutSeconds?: number;
}

export function machineContainerHealthcheckToTerraform(struct?: MachineContainerHealthcheck | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    exec: machineContainerHealthcheckExecToTerraform(struct!.exec),
    failure_threshold: cdktf.numberToTerraform(struct!.failureThreshold),
    grace_period_seconds: cdktf.numberToTerraform(struct!.gracePeriodSeconds),
    http: machineContainerHealthcheckHttpToTerraform(struct!.http),
    interval_seconds: cdktf.numberToTerraform(struct!.intervalSeconds),
    kind: cdktf.stringToTerraform(struct!.kind),
    name: cdktf.stringToTerraform(struct!.name),
    success_threshold: cdktf.numberToTerraform(struct!.successThreshold),
    tcp: machineContainerHealthcheckTcpToTerraform(struct!.tcp),
    timeout_seconds: cdktf.numberToTerraform(struct!.timeoutSeconds),
  }
}


export function machineContainerHealthcheckToHclTerraform(struct?: MachineContainerHealthcheck | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    exec: {
      value: machineContainerHealthcheckExecToHclTerraform(struct!.exec),
      isBlock: true,
      type: "struct",
      storageClassType: "MachineContainerHealthcheckExec",
    },
    failure_threshold: {
      value: cdktf.numberToHclTerraform(struct!.failureThreshold),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    grace_period_seconds: {
      value: cdktf.numberToHclTerraform(struct!.gracePeriodSeconds),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    http: {
      value: machineContainerHealthcheckHttpToHclTerraform(struct!.http),
      isBlock: true,
      type: "struct",
      storageClassType: "MachineContainerHealthcheckHttp",
    },
    interval_seconds: {
      value: cdktf.numberToHclTerraform(struct!.intervalSeconds),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    kind: {
      value: cdktf.stringToHclTerraform(struct!.kind),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    name: {
      value: cdktf.stringToHclTerraform(struct!.name),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    success_threshold: {
      value: cdktf.numberToHclTerraform(struct!.successThreshold),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    tcp: {
      value: machineContainerHealthcheckTcpToHclTerraform(struct!.tcp),
      isBlock: true,
      type: "struct",
      storageClassType: "MachineContainerHealthcheckTcp",
    },
    timeout_seconds: {
      value: cdktf.numberToHclTerraform(struct!.timeoutSeconds),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineContainerHealthcheckOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): MachineContainerHealthcheck | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._exec?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.exec = this._exec?.internalValue;
    }
    if (this._failureThreshold !== undefined) {
      hasAnyValues = true;
      internalValueResult.failureThreshold = this._failureThreshold;
    }
    if (this._gracePeriodSeconds !== undefined) {
      hasAnyValues = true;
      internalValueResult.gracePeriodSeconds = this._gracePeriodSeconds;
    }
    if (this._http?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.http = this._http?.internalValue;
    }
    if (this._intervalSeconds !== undefined) {
      hasAnyValues = true;
      internalValueResult.intervalSeconds = this._intervalSeconds;
    }
    if (this._kind !== undefined) {
      hasAnyValues = true;
      internalValueResult.kind = this._kind;
    }
    if (this._name !== undefined) {
      hasAnyValues = true;
      internalValueResult.name = this._name;
    }
    if (this._successThreshold !== undefined) {
      hasAnyValues = true;
      internalValueResult.successThreshold = this._successThreshold;
    }
    if (this._tcp?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.tcp = this._tcp?.internalValue;
    }
    if (this._timeoutSeconds !== undefined) {
      hasAnyValues = true;
      internalValueResult.timeoutSeconds = this._timeoutSeconds;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineContainerHealthcheck | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._exec.internalValue = undefined;
      this._failureThreshold = undefined;
      this._gracePeriodSeconds = undefined;
      this._http.internalValue = undefined;
      this._intervalSeconds = undefined;
      this._kind = undefined;
      this._name = undefined;
      this._successThreshold = undefined;
      this._tcp.internalValue = undefined;
      this._timeoutSeconds = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._exec.internalValue = value.exec;
      this._failureThreshold = value.failureThreshold;
      this._gracePeriodSeconds = value.gracePeriodSeconds;
      this._http.internalValue = value.http;
      this._intervalSeconds = value.intervalSeconds;
      this._kind = value.kind;
      this._name = value.name;
      this._successThreshold = value.successThreshold;
      this._tcp.internalValue = value.tcp;
      this._timeoutSeconds = value.timeoutSeconds;
    }
  }

  // exec - computed: false, optional: true, required: false
  private _exec = new MachineContainerHealthcheckExecOutputReference(this, "exec");
  public get exec() {
    return this._exec;
  }
  public putExec(value: MachineContainerHealthcheckExec) {
    this._exec.internalValue = value;
  }
  public resetExec() {
    this._exec.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get execInput() {
    return this._exec.internalValue;
  }

  // failure_threshold - computed: false, optional: true, required: false
  private _failureThreshold?: number; 
  public get failureThreshold() {
    return this.getNumberAttribute('failure_threshold');
  }
  public set failureThreshold(value: number) {
    this._failureThreshold = value;
  }
  public resetFailureThreshold() {
    this._failureThreshold = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get failureThresholdInput() {
    return this._failureThreshold;
  }

  // grace_period_seconds - computed: false, optional: true, required: false
  private _gracePeriodSeconds?: number; 
  public get gracePeriodSeconds() {
    return this.getNumberAttribute('grace_period_seconds');
  }
  public set gracePeriodSeconds(value: number) {
    this._gracePeriodSeconds = value;
  }
  public resetGracePeriodSeconds() {
    this._gracePeriodSeconds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get gracePeriodSecondsInput() {
    return this._gracePeriodSeconds;
  }

  // http - computed: false, optional: true, required: false
  private _http = new MachineContainerHealthcheckHttpOutputReference(this, "http");
  public get http() {
    return this._http;
  }
  public putHttp(value: MachineContainerHealthcheckHttp) {
    this._http.internalValue = value;
  }
  public resetHttp() {
    this._http.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get httpInput() {
    return this._http.internalValue;
  }

  // interval_seconds - computed: false, optional: true, required: false
  private _intervalSeconds?: number; 
  public get intervalSeconds() {
    return this.getNumberAttribute('interval_seconds');
  }
  public set intervalSeconds(value: number) {
    this._intervalSeconds = value;
  }
  public resetIntervalSeconds() {
    this._intervalSeconds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get intervalSecondsInput() {
    return this._intervalSeconds;
  }

  // kind - computed: false, optional: true, required: false
  private _kind?: string; 
  public get kind() {
    return this.getStringAttribute('kind');
  }
  public set kind(value: string) {
    this._kind = value;
  }
  public resetKind() {
    this._kind = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get kindInput() {
    return this._kind;
  }

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // success_threshold - computed: false, optional: true, required: false
  private _successThreshold?: number; 
  public get successThreshold() {
    return this.getNumberAttribute('success_threshold');
  }
  public set successThreshold(value: number) {
    this._successThreshold = value;
  }
  public resetSuccessThreshold() {
    this._successThreshold = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get successThresholdInput() {
    return this._successThreshold;
  }

  // tcp - computed: false, optional: true, required: false
  private _tcp = new MachineContainerHealthcheckTcpOutputReference(this, "tcp");
  public get tcp() {
    return this._tcp;
  }
  public putTcp(value: MachineContainerHealthcheckTcp) {
    this._tcp.internalValue = value;
  }
  public resetTcp() {
    this._tcp.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get tcpInput() {
    return this._tcp.internalValue;
  }

  // timeout_seconds - computed: false, optional: true, required: false
  private _timeoutSeconds?: number; 
  public get timeoutSeconds() {
    return this.getNumberAttribute('timeout_seconds');
  }
  public set timeoutSeconds(value: number) {
    this._timeoutSeconds = value;
  }
  public resetTimeoutSeconds() {
    this._timeoutSeconds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get timeoutSecondsInput() {
    return this._timeoutSeconds;
  }
}

export class MachineContainerHealthcheckList extends cdktf.ComplexList {
  public internalValue? : MachineContainerHealthcheck[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): MachineContainerHealthcheckOutputReference {
    return new MachineContainerHealthcheckOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MachineContainerRestart {
  /**
  * Maximum restart attempts when policy is "on-failure".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#max_retries Machine#max_retries}
  */
  readonly maxRetries?: number;
  /**
  * Restart policy: "no", "always", or "on-failure".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#policy Machine#policy}
  */
  readonly policy?: string;
}

export function machineContainerRestartToTerraform(struct?: MachineContainerRestart | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    max_retries: cdktf.numberToTerraform(struct!.maxRetries),
    policy: cdktf.stringToTerraform(struct!.policy),
  }
}


export function machineContainerRestartToHclTerraform(struct?: MachineContainerRestart | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    max_retries: {
      value: cdktf.numberToHclTerraform(struct!.maxRetries),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    policy: {
      value: cdktf.stringToHclTerraform(struct!.policy),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineContainerRestartOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): MachineContainerRestart | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._maxRetries !== undefined) {
      hasAnyValues = true;
      internalValueResult.maxRetries = this._maxRetries;
    }
    if (this._policy !== undefined) {
      hasAnyValues = true;
      internalValueResult.policy = this._policy;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineContainerRestart | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._maxRetries = undefined;
      this._policy = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._maxRetries = value.maxRetries;
      this._policy = value.policy;
    }
  }

  // max_retries - computed: false, optional: true, required: false
  private _maxRetries?: number; 
  public get maxRetries() {
    return this.getNumberAttribute('max_retries');
  }
  public set maxRetries(value: number) {
    this._maxRetries = value;
  }
  public resetMaxRetries() {
    this._maxRetries = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maxRetriesInput() {
    return this._maxRetries;
  }

  // policy - computed: false, optional: true, required: false
  private _policy?: string; 
  public get policy() {
    return this.getStringAttribute('policy');
  }
  public set policy(value: string) {
    this._policy = value;
  }
  public resetPolicy() {
    this._policy = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get policyInput() {
    return this._policy;
  }
}
export interface MachineContainerSecret {
  /**
  * Name of the env var inside the container.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#env_var Machine#env_var}
  */
  readonly envVar: string;
  /**
  * Source secret name (must match a fly_secret on the app). Omit to use the same name as env_var.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#name Machine#name}
  */
  readonly name?: string;
}

export function machineContainerSecretToTerraform(struct?: MachineContainerSecret | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    env_var: cdktf.stringToTerraform(struct!.envVar),
    name: cdktf.stringToTerraform(struct!.name),
  }
}


export function machineContainerSecretToHclTerraform(struct?: MachineContainerSecret | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    env_var: {
      value: cdktf.stringToHclTerraform(struct!.envVar),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    name: {
      value: cdktf.stringToHclTerraform(struct!.name),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineContainerSecretOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): MachineContainerSecret | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._envVar !== undefined) {
      hasAnyValues = true;
      internalValueResult.envVar = this._envVar;
    }
    if (this._name !== undefined) {
      hasAnyValues = true;
      internalValueResult.name = this._name;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineContainerSecret | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._envVar = undefined;
      this._name = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._envVar = value.envVar;
      this._name = value.name;
    }
  }

  // env_var - computed: false, optional: false, required: true
  private _envVar?: string; 
  public get envVar() {
    return this.getStringAttribute('env_var');
  }
  public set envVar(value: string) {
    this._envVar = value;
  }
  // Temporarily expose input value. Use with caution.
  public get envVarInput() {
    return this._envVar;
  }

  // name - computed: false, optional: true, required: false
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  public resetName() {
    this._name = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }
}

export class MachineContainerSecretList extends cdktf.ComplexList {
  public internalValue? : MachineContainerSecret[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): MachineContainerSecretOutputReference {
    return new MachineContainerSecretOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MachineContainer {
  /**
  * Override the image's default CMD (argv tail).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#cmd Machine#cmd}
  */
  readonly cmd?: string[];
  /**
  * Override the image's default ENTRYPOINT (argv head).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#entrypoint Machine#entrypoint}
  */
  readonly entrypoint?: string[];
  /**
  * Environment variables scoped to this container only. Merged with the machine-level `env` at runtime (container-level wins on collision).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#env Machine#env}
  */
  readonly env?: { [key: string]: string };
  /**
  * Docker image for this container.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#image Machine#image}
  */
  readonly image: string;
  /**
  * Container name within the machine. Must be unique per machine (Fly enforces); used in `depends_on.name` and surfaces in `flyctl logs --container <name>`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#name Machine#name}
  */
  readonly name: string;
  /**
  * depends_on block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#depends_on Machine#depends_on}
  */
  readonly dependsOn?: MachineContainerDependsOn[] | cdktf.IResolvable;
  /**
  * file block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#file Machine#file}
  */
  readonly file?: MachineContainerFile[] | cdktf.IResolvable;
  /**
  * healthcheck block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#healthcheck Machine#healthcheck}
  */
  readonly healthcheck?: MachineContainerHealthcheck[] | cdktf.IResolvable;
  /**
  * restart block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#restart Machine#restart}
  */
  readonly restart?: MachineContainerRestart;
  /**
  * secret block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#secret Machine#secret}
  */
  readonly secret?: MachineContainerSecret[] | cdktf.IResolvable;
}

export function machineContainerToTerraform(struct?: MachineContainer | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    cmd: cdktf.listMapper(cdktf.stringToTerraform, false)(struct!.cmd),
    entrypoint: cdktf.listMapper(cdktf.stringToTerraform, false)(struct!.entrypoint),
    env: cdktf.hashMapper(cdktf.stringToTerraform)(struct!.env),
    image: cdktf.stringToTerraform(struct!.image),
    name: cdktf.stringToTerraform(struct!.name),
    depends_on: cdktf.listMapper(machineContainerDependsOnToTerraform, true)(struct!.dependsOn),
    file: cdktf.listMapper(machineContainerFileToTerraform, true)(struct!.file),
    healthcheck: cdktf.listMapper(machineContainerHealthcheckToTerraform, true)(struct!.healthcheck),
    restart: machineContainerRestartToTerraform(struct!.restart),
    secret: cdktf.listMapper(machineContainerSecretToTerraform, true)(struct!.secret),
  }
}


export function machineContainerToHclTerraform(struct?: MachineContainer | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    cmd: {
      value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(struct!.cmd),
      isBlock: false,
      type: "list",
      storageClassType: "stringList",
    },
    entrypoint: {
      value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(struct!.entrypoint),
      isBlock: false,
      type: "list",
      storageClassType: "stringList",
    },
    env: {
      value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(struct!.env),
      isBlock: false,
      type: "map",
      storageClassType: "stringMap",
    },
    image: {
      value: cdktf.stringToHclTerraform(struct!.image),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    name: {
      value: cdktf.stringToHclTerraform(struct!.name),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    depends_on: {
      value: cdktf.listMapperHcl(machineContainerDependsOnToHclTerraform, true)(struct!.dependsOn),
      isBlock: true,
      type: "list",
      storageClassType: "MachineContainerDependsOnList",
    },
    file: {
      value: cdktf.listMapperHcl(machineContainerFileToHclTerraform, true)(struct!.file),
      isBlock: true,
      type: "list",
      storageClassType: "MachineContainerFileList",
    },
    healthcheck: {
      value: cdktf.listMapperHcl(machineContainerHealthcheckToHclTerraform, true)(struct!.healthcheck),
      isBlock: true,
      type: "list",
      storageClassType: "MachineContainerHealthcheckList",
    },
    restart: {
      value: machineContainerRestartToHclTerraform(struct!.restart),
      isBlock: true,
      type: "struct",
      storageClassType: "MachineContainerRestart",
    },
    secret: {
      value: cdktf.listMapperHcl(machineContainerSecretToHclTerraform, true)(struct!.secret),
      isBlock: true,
      type: "list",
      storageClassType: "MachineContainerSecretList",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineContainerOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): MachineContainer | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._cmd !== undefined) {
      hasAnyValues = true;
      internalValueResult.cmd = this._cmd;
    }
    if (this._entrypoint !== undefined) {
      hasAnyValues = true;
      internalValueResult.entrypoint = this._entrypoint;
    }
    if (this._env !== undefined) {
      hasAnyValues = true;
      internalValueResult.env = this._env;
    }
    if (this._image !== undefined) {
      hasAnyValues = true;
      internalValueResult.image = this._image;
    }
    if (this._name !== undefined) {
      hasAnyValues = true;
      internalValueResult.name = this._name;
    }
    if (this._dependsOn?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.dependsOn = this._dependsOn?.internalValue;
    }
    if (this._file?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.file = this._file?.internalValue;
    }
    if (this._healthcheck?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.healthcheck = this._healthcheck?.internalValue;
    }
    if (this._restart?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.restart = this._restart?.internalValue;
    }
    if (this._secret?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.secret = this._secret?.internalValue;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineContainer | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._cmd = undefined;
      this._entrypoint = undefined;
      this._env = undefined;
      this._image = undefined;
      this._name = undefined;
      this._dependsOn.internalValue = undefined;
      this._file.internalValue = undefined;
      this._healthcheck.internalValue = undefined;
      this._restart.internalValue = undefined;
      this._secret.internalValue = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._cmd = value.cmd;
      this._entrypoint = value.entrypoint;
      this._env = value.env;
      this._image = value.image;
      this._name = value.name;
      this._dependsOn.internalValue = value.dependsOn;
      this._file.internalValue = value.file;
      this._healthcheck.internalValue = value.healthcheck;
      this._restart.internalValue = value.restart;
      this._secret.internalValue = value.secret;
    }
  }

  // cmd - computed: false, optional: true, required: false
  private _cmd?: string[]; 
  public get cmd() {
    return this.getListAttribute('cmd');
  }
  public set cmd(value: string[]) {
    this._cmd = value;
  }
  public resetCmd() {
    this._cmd = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get cmdInput() {
    return this._cmd;
  }

  // entrypoint - computed: false, optional: true, required: false
  private _entrypoint?: string[]; 
  public get entrypoint() {
    return this.getListAttribute('entrypoint');
  }
  public set entrypoint(value: string[]) {
    this._entrypoint = value;
  }
  public resetEntrypoint() {
    this._entrypoint = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get entrypointInput() {
    return this._entrypoint;
  }

  // env - computed: false, optional: true, required: false
  private _env?: { [key: string]: string }; 
  public get env() {
    return this.getStringMapAttribute('env');
  }
  public set env(value: { [key: string]: string }) {
    this._env = value;
  }
  public resetEnv() {
    this._env = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get envInput() {
    return this._env;
  }

  // image - computed: false, optional: false, required: true
  private _image?: string; 
  public get image() {
    return this.getStringAttribute('image');
  }
  public set image(value: string) {
    this._image = value;
  }
  // Temporarily expose input value. Use with caution.
  public get imageInput() {
    return this._image;
  }

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // depends_on - computed: false, optional: true, required: false
  private _dependsOn = new MachineContainerDependsOnList(this, "depends_on", false);
  public get dependsOn() {
    return this._dependsOn;
  }
  public putDependsOn(value: MachineContainerDependsOn[] | cdktf.IResolvable) {
    this._dependsOn.internalValue = value;
  }
  public resetDependsOn() {
    this._dependsOn.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get dependsOnInput() {
    return this._dependsOn.internalValue;
  }

  // file - computed: false, optional: true, required: false
  private _file = new MachineContainerFileList(this, "file", false);
  public get file() {
    return this._file;
  }
  public putFile(value: MachineContainerFile[] | cdktf.IResolvable) {
    this._file.internalValue = value;
  }
  public resetFile() {
    this._file.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get fileInput() {
    return this._file.internalValue;
  }

  // healthcheck - computed: false, optional: true, required: false
  private _healthcheck = new MachineContainerHealthcheckList(this, "healthcheck", false);
  public get healthcheck() {
    return this._healthcheck;
  }
  public putHealthcheck(value: MachineContainerHealthcheck[] | cdktf.IResolvable) {
    this._healthcheck.internalValue = value;
  }
  public resetHealthcheck() {
    this._healthcheck.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get healthcheckInput() {
    return this._healthcheck.internalValue;
  }

  // restart - computed: false, optional: true, required: false
  private _restart = new MachineContainerRestartOutputReference(this, "restart");
  public get restart() {
    return this._restart;
  }
  public putRestart(value: MachineContainerRestart) {
    this._restart.internalValue = value;
  }
  public resetRestart() {
    this._restart.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get restartInput() {
    return this._restart.internalValue;
  }

  // secret - computed: false, optional: true, required: false
  private _secret = new MachineContainerSecretList(this, "secret", false);
  public get secret() {
    return this._secret;
  }
  public putSecret(value: MachineContainerSecret[] | cdktf.IResolvable) {
    this._secret.internalValue = value;
  }
  public resetSecret() {
    this._secret.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get secretInput() {
    return this._secret.internalValue;
  }
}

export class MachineContainerList extends cdktf.ComplexList {
  public internalValue? : MachineContainer[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): MachineContainerOutputReference {
    return new MachineContainerOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MachineFile {
  /**
  * Absolute path inside the guest where the file is written (e.g. "/etc/clickhouse-keeper/keeper_config.xml").
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#guest_path Machine#guest_path}
  */
  readonly guestPath: string;
  /**
  * File mode bits (chmod(2)). Defaults to Fly's default (0644).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#mode Machine#mode}
  */
  readonly mode?: number;
  /**
  * Base64-encoded file contents. Use `base64encode(templatefile(...))` in HCL. Mutually exclusive with `secret_name`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#raw_value Machine#raw_value}
  */
  readonly rawValue?: string;
  /**
  * Name of an app secret whose value is the base64-encoded file contents. Mutually exclusive with `raw_value`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#secret_name Machine#secret_name}
  */
  readonly secretName?: string;
}

export function machineFileToTerraform(struct?: MachineFile | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    guest_path: cdktf.stringToTerraform(struct!.guestPath),
    mode: cdktf.numberToTerraform(struct!.mode),
    raw_value: cdktf.stringToTerraform(struct!.rawValue),
    secret_name: cdktf.stringToTerraform(struct!.secretName),
  }
}


export function machineFileToHclTerraform(struct?: MachineFile | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    guest_path: {
      value: cdktf.stringToHclTerraform(struct!.guestPath),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    mode: {
      value: cdktf.numberToHclTerraform(struct!.mode),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    raw_value: {
      value: cdktf.stringToHclTerraform(struct!.rawValue),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    secret_name: {
      value: cdktf.stringToHclTerraform(struct!.secretName),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineFileOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): MachineFile | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._guestPath !== undefined) {
      hasAnyValues = true;
      internalValueResult.guestPath = this._guestPath;
    }
    if (this._mode !== undefined) {
      hasAnyValues = true;
      internalValueResult.mode = this._mode;
    }
    if (this._rawValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.rawValue = this._rawValue;
    }
    if (this._secretName !== undefined) {
      hasAnyValues = true;
      internalValueResult.secretName = this._secretName;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineFile | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._guestPath = undefined;
      this._mode = undefined;
      this._rawValue = undefined;
      this._secretName = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._guestPath = value.guestPath;
      this._mode = value.mode;
      this._rawValue = value.rawValue;
      this._secretName = value.secretName;
    }
  }

  // guest_path - computed: false, optional: false, required: true
  private _guestPath?: string; 
  public get guestPath() {
    return this.getStringAttribute('guest_path');
  }
  public set guestPath(value: string) {
    this._guestPath = value;
  }
  // Temporarily expose input value. Use with caution.
  public get guestPathInput() {
    return this._guestPath;
  }

  // mode - computed: false, optional: true, required: false
  private _mode?: number; 
  public get mode() {
    return this.getNumberAttribute('mode');
  }
  public set mode(value: number) {
    this._mode = value;
  }
  public resetMode() {
    this._mode = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get modeInput() {
    return this._mode;
  }

  // raw_value - computed: false, optional: true, required: false
  private _rawValue?: string; 
  public get rawValue() {
    return this.getStringAttribute('raw_value');
  }
  public set rawValue(value: string) {
    this._rawValue = value;
  }
  public resetRawValue() {
    this._rawValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get rawValueInput() {
    return this._rawValue;
  }

  // secret_name - computed: false, optional: true, required: false
  private _secretName?: string; 
  public get secretName() {
    return this.getStringAttribute('secret_name');
  }
  public set secretName(value: string) {
    this._secretName = value;
  }
  public resetSecretName() {
    this._secretName = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get secretNameInput() {
    return this._secretName;
  }
}

export class MachineFileList extends cdktf.ComplexList {
  public internalValue? : MachineFile[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): MachineFileOutputReference {
    return new MachineFileOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MachineGuest {
  /**
  * CPU kind: "shared" or "performance".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#cpu_kind Machine#cpu_kind}
  */
  readonly cpuKind?: string;
  /**
  * Number of CPUs.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#cpus Machine#cpus}
  */
  readonly cpus?: number;
  /**
  * Memory in megabytes.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#memory_mb Machine#memory_mb}
  */
  readonly memoryMb?: number;
}

export function machineGuestToTerraform(struct?: MachineGuest | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    cpu_kind: cdktf.stringToTerraform(struct!.cpuKind),
    cpus: cdktf.numberToTerraform(struct!.cpus),
    memory_mb: cdktf.numberToTerraform(struct!.memoryMb),
  }
}


export function machineGuestToHclTerraform(struct?: MachineGuest | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    cpu_kind: {
      value: cdktf.stringToHclTerraform(struct!.cpuKind),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    cpus: {
      value: cdktf.numberToHclTerraform(struct!.cpus),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    memory_mb: {
      value: cdktf.numberToHclTerraform(struct!.memoryMb),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineGuestOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): MachineGuest | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._cpuKind !== undefined) {
      hasAnyValues = true;
      internalValueResult.cpuKind = this._cpuKind;
    }
    if (this._cpus !== undefined) {
      hasAnyValues = true;
      internalValueResult.cpus = this._cpus;
    }
    if (this._memoryMb !== undefined) {
      hasAnyValues = true;
      internalValueResult.memoryMb = this._memoryMb;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineGuest | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._cpuKind = undefined;
      this._cpus = undefined;
      this._memoryMb = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._cpuKind = value.cpuKind;
      this._cpus = value.cpus;
      this._memoryMb = value.memoryMb;
    }
  }

  // cpu_kind - computed: true, optional: true, required: false
  private _cpuKind?: string; 
  public get cpuKind() {
    return this.getStringAttribute('cpu_kind');
  }
  public set cpuKind(value: string) {
    this._cpuKind = value;
  }
  public resetCpuKind() {
    this._cpuKind = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get cpuKindInput() {
    return this._cpuKind;
  }

  // cpus - computed: true, optional: true, required: false
  private _cpus?: number; 
  public get cpus() {
    return this.getNumberAttribute('cpus');
  }
  public set cpus(value: number) {
    this._cpus = value;
  }
  public resetCpus() {
    this._cpus = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get cpusInput() {
    return this._cpus;
  }

  // memory_mb - computed: true, optional: true, required: false
  private _memoryMb?: number; 
  public get memoryMb() {
    return this.getNumberAttribute('memory_mb');
  }
  public set memoryMb(value: number) {
    this._memoryMb = value;
  }
  public resetMemoryMb() {
    this._memoryMb = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get memoryMbInput() {
    return this._memoryMb;
  }
}
export interface MachineMetrics {
  /**
  * Use https instead of http. Defaults to false.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#https Machine#https}
  */
  readonly https?: boolean | cdktf.IResolvable;
  /**
  * URL path to scrape. Defaults to Fly's default ("/metrics") when unset.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#path Machine#path}
  */
  readonly path?: string;
  /**
  * Port the Fly scraper connects to on the machine's 6PN address.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#port Machine#port}
  */
  readonly port?: number;
}

export function machineMetricsToTerraform(struct?: MachineMetrics | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    https: cdktf.booleanToTerraform(struct!.https),
    path: cdktf.stringToTerraform(struct!.path),
    port: cdktf.numberToTerraform(struct!.port),
  }
}


export function machineMetricsToHclTerraform(struct?: MachineMetrics | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    https: {
      value: cdktf.booleanToHclTerraform(struct!.https),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    path: {
      value: cdktf.stringToHclTerraform(struct!.path),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    port: {
      value: cdktf.numberToHclTerraform(struct!.port),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineMetricsOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): MachineMetrics | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._https !== undefined) {
      hasAnyValues = true;
      internalValueResult.https = this._https;
    }
    if (this._path !== undefined) {
      hasAnyValues = true;
      internalValueResult.path = this._path;
    }
    if (this._port !== undefined) {
      hasAnyValues = true;
      internalValueResult.port = this._port;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineMetrics | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._https = undefined;
      this._path = undefined;
      this._port = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._https = value.https;
      this._path = value.path;
      this._port = value.port;
    }
  }

  // https - computed: false, optional: true, required: false
  private _https?: boolean | cdktf.IResolvable; 
  public get https() {
    return this.getBooleanAttribute('https');
  }
  public set https(value: boolean | cdktf.IResolvable) {
    this._https = value;
  }
  public resetHttps() {
    this._https = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get httpsInput() {
    return this._https;
  }

  // path - computed: false, optional: true, required: false
  private _path?: string; 
  public get path() {
    return this.getStringAttribute('path');
  }
  public set path(value: string) {
    this._path = value;
  }
  public resetPath() {
    this._path = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get pathInput() {
    return this._path;
  }

  // port - computed: false, optional: true, required: false
  private _port?: number; 
  public get port() {
    return this.getNumberAttribute('port');
  }
  public set port(value: number) {
    this._port = value;
  }
  public resetPort() {
    this._port = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get portInput() {
    return this._port;
  }
}
export interface MachineMount {
  /**
  * Optional display name for the mount. Defaults to the volume's name.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#name Machine#name}
  */
  readonly name?: string;
  /**
  * Absolute mount path inside the guest (e.g. "/var/lib/clickhouse-keeper").
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#path Machine#path}
  */
  readonly path: string;
  /**
  * When true, `Read` reconciles this mount's `volume` from the live machine so a Fly host migration (which forks the volume to a new ID and re-mounts it) surfaces as state drift instead of staying invisible. Set this ONLY in tandem with `readopt_on_host_migration = true` on the paired `fly_volume`: the volume resource re-anchors its `id` to the fork on the same refresh, so config (`mount.volume = fly_volume.id`) and the refreshed mount agree on the new ID and no illegal in-place volume swap is planned. If this were on while the paired volume stayed on the old ID (flag off, or an ambiguous re-anchor decline), the mount would move to the fork while config still pointed at the orphan — producing exactly the mid-apply `UpdateMachine` volume-swap Fly rejects. Defaults to false, which preserves the prior behavior (mounts are never read back) for every machine that doesn't opt in.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#readopt_on_host_migration Machine#readopt_on_host_migration}
  */
  readonly readoptOnHostMigration?: boolean | cdktf.IResolvable;
  /**
  * Volume ID to attach (the `id` attribute of a `fly_volume` resource). Cannot be changed in place — taint the machine to swap volumes.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#volume Machine#volume}
  */
  readonly volume: string;
}

export function machineMountToTerraform(struct?: MachineMount | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    name: cdktf.stringToTerraform(struct!.name),
    path: cdktf.stringToTerraform(struct!.path),
    readopt_on_host_migration: cdktf.booleanToTerraform(struct!.readoptOnHostMigration),
    volume: cdktf.stringToTerraform(struct!.volume),
  }
}


export function machineMountToHclTerraform(struct?: MachineMount | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    name: {
      value: cdktf.stringToHclTerraform(struct!.name),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    path: {
      value: cdktf.stringToHclTerraform(struct!.path),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    readopt_on_host_migration: {
      value: cdktf.booleanToHclTerraform(struct!.readoptOnHostMigration),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    volume: {
      value: cdktf.stringToHclTerraform(struct!.volume),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineMountOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): MachineMount | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._name !== undefined) {
      hasAnyValues = true;
      internalValueResult.name = this._name;
    }
    if (this._path !== undefined) {
      hasAnyValues = true;
      internalValueResult.path = this._path;
    }
    if (this._readoptOnHostMigration !== undefined) {
      hasAnyValues = true;
      internalValueResult.readoptOnHostMigration = this._readoptOnHostMigration;
    }
    if (this._volume !== undefined) {
      hasAnyValues = true;
      internalValueResult.volume = this._volume;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineMount | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._name = undefined;
      this._path = undefined;
      this._readoptOnHostMigration = undefined;
      this._volume = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._name = value.name;
      this._path = value.path;
      this._readoptOnHostMigration = value.readoptOnHostMigration;
      this._volume = value.volume;
    }
  }

  // name - computed: false, optional: true, required: false
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  public resetName() {
    this._name = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // path - computed: false, optional: false, required: true
  private _path?: string; 
  public get path() {
    return this.getStringAttribute('path');
  }
  public set path(value: string) {
    this._path = value;
  }
  // Temporarily expose input value. Use with caution.
  public get pathInput() {
    return this._path;
  }

  // readopt_on_host_migration - computed: true, optional: true, required: false
  private _readoptOnHostMigration?: boolean | cdktf.IResolvable; 
  public get readoptOnHostMigration() {
    return this.getBooleanAttribute('readopt_on_host_migration');
  }
  public set readoptOnHostMigration(value: boolean | cdktf.IResolvable) {
    this._readoptOnHostMigration = value;
  }
  public resetReadoptOnHostMigration() {
    this._readoptOnHostMigration = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get readoptOnHostMigrationInput() {
    return this._readoptOnHostMigration;
  }

  // volume - computed: false, optional: false, required: true
  private _volume?: string; 
  public get volume() {
    return this.getStringAttribute('volume');
  }
  public set volume(value: string) {
    this._volume = value;
  }
  // Temporarily expose input value. Use with caution.
  public get volumeInput() {
    return this._volume;
  }
}

export class MachineMountList extends cdktf.ComplexList {
  public internalValue? : MachineMount[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): MachineMountOutputReference {
    return new MachineMountOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MachineRestart {
  /**
  * Maximum restart attempts when policy is "on-failure". Ignored for other policies.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#max_retries Machine#max_retries}
  */
  readonly maxRetries?: number;
  /**
  * Restart policy: "no", "always", "on-failure", or "spot-price".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#policy Machine#policy}
  */
  readonly policy?: string;
}

export function machineRestartToTerraform(struct?: MachineRestart | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    max_retries: cdktf.numberToTerraform(struct!.maxRetries),
    policy: cdktf.stringToTerraform(struct!.policy),
  }
}


export function machineRestartToHclTerraform(struct?: MachineRestart | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    max_retries: {
      value: cdktf.numberToHclTerraform(struct!.maxRetries),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    policy: {
      value: cdktf.stringToHclTerraform(struct!.policy),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineRestartOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): MachineRestart | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._maxRetries !== undefined) {
      hasAnyValues = true;
      internalValueResult.maxRetries = this._maxRetries;
    }
    if (this._policy !== undefined) {
      hasAnyValues = true;
      internalValueResult.policy = this._policy;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineRestart | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._maxRetries = undefined;
      this._policy = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._maxRetries = value.maxRetries;
      this._policy = value.policy;
    }
  }

  // max_retries - computed: false, optional: true, required: false
  private _maxRetries?: number; 
  public get maxRetries() {
    return this.getNumberAttribute('max_retries');
  }
  public set maxRetries(value: number) {
    this._maxRetries = value;
  }
  public resetMaxRetries() {
    this._maxRetries = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maxRetriesInput() {
    return this._maxRetries;
  }

  // policy - computed: false, optional: true, required: false
  private _policy?: string; 
  public get policy() {
    return this.getStringAttribute('policy');
  }
  public set policy(value: string) {
    this._policy = value;
  }
  public resetPolicy() {
    this._policy = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get policyInput() {
    return this._policy;
  }
}
export interface MachineServiceCheck {
  /**
  * Check interval (e.g. "10s").
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#interval Machine#interval}
  */
  readonly interval?: string;
  /**
  * HTTP method (e.g. "GET").
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#method Machine#method}
  */
  readonly method?: string;
  /**
  * HTTP path to check.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#path Machine#path}
  */
  readonly path?: string;
  /**
  * Port to check.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#port Machine#port}
  */
  readonly port?: number;
  /**
  * Check timeout (e.g. "2s").
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#timeout Machine#timeout}
  */
  readonly timeout?: string;
  /**
  * Check type: "tcp" or "http".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#type Machine#type}
  */
  readonly type: string;
}

export function machineServiceCheckToTerraform(struct?: MachineServiceCheck | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    interval: cdktf.stringToTerraform(struct!.interval),
    method: cdktf.stringToTerraform(struct!.method),
    path: cdktf.stringToTerraform(struct!.path),
    port: cdktf.numberToTerraform(struct!.port),
    timeout: cdktf.stringToTerraform(struct!.timeout),
    type: cdktf.stringToTerraform(struct!.type),
  }
}


export function machineServiceCheckToHclTerraform(struct?: MachineServiceCheck | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    interval: {
      value: cdktf.stringToHclTerraform(struct!.interval),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    method: {
      value: cdktf.stringToHclTerraform(struct!.method),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    path: {
      value: cdktf.stringToHclTerraform(struct!.path),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    port: {
      value: cdktf.numberToHclTerraform(struct!.port),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    timeout: {
      value: cdktf.stringToHclTerraform(struct!.timeout),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    type: {
      value: cdktf.stringToHclTerraform(struct!.type),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineServiceCheckOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): MachineServiceCheck | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._interval !== undefined) {
      hasAnyValues = true;
      internalValueResult.interval = this._interval;
    }
    if (this._method !== undefined) {
      hasAnyValues = true;
      internalValueResult.method = this._method;
    }
    if (this._path !== undefined) {
      hasAnyValues = true;
      internalValueResult.path = this._path;
    }
    if (this._port !== undefined) {
      hasAnyValues = true;
      internalValueResult.port = this._port;
    }
    if (this._timeout !== undefined) {
      hasAnyValues = true;
      internalValueResult.timeout = this._timeout;
    }
    if (this._type !== undefined) {
      hasAnyValues = true;
      internalValueResult.type = this._type;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineServiceCheck | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._interval = undefined;
      this._method = undefined;
      this._path = undefined;
      this._port = undefined;
      this._timeout = undefined;
      this._type = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._interval = value.interval;
      this._method = value.method;
      this._path = value.path;
      this._port = value.port;
      this._timeout = value.timeout;
      this._type = value.type;
    }
  }

  // interval - computed: false, optional: true, required: false
  private _interval?: string; 
  public get interval() {
    return this.getStringAttribute('interval');
  }
  public set interval(value: string) {
    this._interval = value;
  }
  public resetInterval() {
    this._interval = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get intervalInput() {
    return this._interval;
  }

  // method - computed: false, optional: true, required: false
  private _method?: string; 
  public get method() {
    return this.getStringAttribute('method');
  }
  public set method(value: string) {
    this._method = value;
  }
  public resetMethod() {
    this._method = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get methodInput() {
    return this._method;
  }

  // path - computed: false, optional: true, required: false
  private _path?: string; 
  public get path() {
    return this.getStringAttribute('path');
  }
  public set path(value: string) {
    this._path = value;
  }
  public resetPath() {
    this._path = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get pathInput() {
    return this._path;
  }

  // port - computed: false, optional: true, required: false
  private _port?: number; 
  public get port() {
    return this.getNumberAttribute('port');
  }
  public set port(value: number) {
    this._port = value;
  }
  public resetPort() {
    this._port = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get portInput() {
    return this._port;
  }

  // timeout - computed: false, optional: true, required: false
  private _timeout?: string; 
  public get timeout() {
    return this.getStringAttribute('timeout');
  }
  public set timeout(value: string) {
    this._timeout = value;
  }
  public resetTimeout() {
    this._timeout = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get timeoutInput() {
    return this._timeout;
  }

  // type - computed: false, optional: false, required: true
  private _type?: string; 
  public get type() {
    return this.getStringAttribute('type');
  }
  public set type(value: string) {
    this._type = value;
  }
  // Temporarily expose input value. Use with caution.
  public get typeInput() {
    return this._type;
  }
}

export class MachineServiceCheckList extends cdktf.ComplexList {
  public internalValue? : MachineServiceCheck[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): MachineServiceCheckOutputReference {
    return new MachineServiceCheckOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MachineServiceConcurrency {
  /**
  * Count at which the proxy stops routing new connections to this machine.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#hard_limit Machine#hard_limit}
  */
  readonly hardLimit: number;
  /**
  * Count at which the proxy starts spilling load to (and waking) another pool machine.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#soft_limit Machine#soft_limit}
  */
  readonly softLimit: number;
  /**
  * What the proxy counts: "connections" (persistent sockets) or "requests". Set explicitly — see concurrencyModel for why this stays Required rather than Optional+Computed.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#type Machine#type}
  */
  readonly type: string;
}

export function machineServiceConcurrencyToTerraform(struct?: MachineServiceConcurrency | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    hard_limit: cdktf.numberToTerraform(struct!.hardLimit),
    soft_limit: cdktf.numberToTerraform(struct!.softLimit),
    type: cdktf.stringToTerraform(struct!.type),
  }
}


export function machineServiceConcurrencyToHclTerraform(struct?: MachineServiceConcurrency | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    hard_limit: {
      value: cdktf.numberToHclTerraform(struct!.hardLimit),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    soft_limit: {
      value: cdktf.numberToHclTerraform(struct!.softLimit),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    type: {
      value: cdktf.stringToHclTerraform(struct!.type),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineServiceConcurrencyOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): MachineServiceConcurrency | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._hardLimit !== undefined) {
      hasAnyValues = true;
      internalValueResult.hardLimit = this._hardLimit;
    }
    if (this._softLimit !== undefined) {
      hasAnyValues = true;
      internalValueResult.softLimit = this._softLimit;
    }
    if (this._type !== undefined) {
      hasAnyValues = true;
      internalValueResult.type = this._type;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineServiceConcurrency | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._hardLimit = undefined;
      this._softLimit = undefined;
      this._type = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._hardLimit = value.hardLimit;
      this._softLimit = value.softLimit;
      this._type = value.type;
    }
  }

  // hard_limit - computed: false, optional: false, required: true
  private _hardLimit?: number; 
  public get hardLimit() {
    return this.getNumberAttribute('hard_limit');
  }
  public set hardLimit(value: number) {
    this._hardLimit = value;
  }
  // Temporarily expose input value. Use with caution.
  public get hardLimitInput() {
    return this._hardLimit;
  }

  // soft_limit - computed: false, optional: false, required: true
  private _softLimit?: number; 
  public get softLimit() {
    return this.getNumberAttribute('soft_limit');
  }
  public set softLimit(value: number) {
    this._softLimit = value;
  }
  // Temporarily expose input value. Use with caution.
  public get softLimitInput() {
    return this._softLimit;
  }

  // type - computed: false, optional: false, required: true
  private _type?: string; 
  public get type() {
    return this.getStringAttribute('type');
  }
  public set type(value: string) {
    this._type = value;
  }
  // Temporarily expose input value. Use with caution.
  public get typeInput() {
    return this._type;
  }
}

export class MachineServiceConcurrencyList extends cdktf.ComplexList {
  public internalValue? : MachineServiceConcurrency[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): MachineServiceConcurrencyOutputReference {
    return new MachineServiceConcurrencyOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MachineServicePort {
  /**
  * Protocol handlers (e.g. ["http"]).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#handlers Machine#handlers}
  */
  readonly handlers?: string[];
  /**
  * Port number the proxy listens on.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#port Machine#port}
  */
  readonly port: number;
}

export function machineServicePortToTerraform(struct?: MachineServicePort | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    handlers: cdktf.listMapper(cdktf.stringToTerraform, false)(struct!.handlers),
    port: cdktf.numberToTerraform(struct!.port),
  }
}


export function machineServicePortToHclTerraform(struct?: MachineServicePort | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    handlers: {
      value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(struct!.handlers),
      isBlock: false,
      type: "list",
      storageClassType: "stringList",
    },
    port: {
      value: cdktf.numberToHclTerraform(struct!.port),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineServicePortOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): MachineServicePort | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._handlers !== undefined) {
      hasAnyValues = true;
      internalValueResult.handlers = this._handlers;
    }
    if (this._port !== undefined) {
      hasAnyValues = true;
      internalValueResult.port = this._port;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineServicePort | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._handlers = undefined;
      this._port = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._handlers = value.handlers;
      this._port = value.port;
    }
  }

  // handlers - computed: false, optional: true, required: false
  private _handlers?: string[]; 
  public get handlers() {
    return this.getListAttribute('handlers');
  }
  public set handlers(value: string[]) {
    this._handlers = value;
  }
  public resetHandlers() {
    this._handlers = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get handlersInput() {
    return this._handlers;
  }

  // port - computed: false, optional: false, required: true
  private _port?: number; 
  public get port() {
    return this.getNumberAttribute('port');
  }
  public set port(value: number) {
    this._port = value;
  }
  // Temporarily expose input value. Use with caution.
  public get portInput() {
    return this._port;
  }
}

export class MachineServicePortList extends cdktf.ComplexList {
  public internalValue? : MachineServicePort[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): MachineServicePortOutputReference {
    return new MachineServicePortOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MachineService {
  /**
  * Automatically start machine on incoming request.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#autostart Machine#autostart}
  */
  readonly autostart?: boolean | cdktf.IResolvable;
  /**
  * Autostop behavior: "off", "stop", or "suspend".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#autostop Machine#autostop}
  */
  readonly autostop?: string;
  /**
  * Port the application listens on.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#internal_port Machine#internal_port}
  */
  readonly internalPort: number;
  /**
  * Protocol: "tcp" or "udp".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#protocol Machine#protocol}
  */
  readonly protocol?: string;
  /**
  * check block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#check Machine#check}
  */
  readonly check?: MachineServiceCheck[] | cdktf.IResolvable;
  /**
  * concurrency block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#concurrency Machine#concurrency}
  */
  readonly concurrency?: MachineServiceConcurrency[] | cdktf.IResolvable;
  /**
  * port block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#port Machine#port}
  */
  readonly port?: MachineServicePort[] | cdktf.IResolvable;
}

export function machineServiceToTerraform(struct?: MachineService | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    autostart: cdktf.booleanToTerraform(struct!.autostart),
    autostop: cdktf.stringToTerraform(struct!.autostop),
    internal_port: cdktf.numberToTerraform(struct!.internalPort),
    protocol: cdktf.stringToTerraform(struct!.protocol),
    check: cdktf.listMapper(machineServiceCheckToTerraform, true)(struct!.check),
    concurrency: cdktf.listMapper(machineServiceConcurrencyToTerraform, true)(struct!.concurrency),
    port: cdktf.listMapper(machineServicePortToTerraform, true)(struct!.port),
  }
}


export function machineServiceToHclTerraform(struct?: MachineService | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    autostart: {
      value: cdktf.booleanToHclTerraform(struct!.autostart),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    autostop: {
      value: cdktf.stringToHclTerraform(struct!.autostop),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    internal_port: {
      value: cdktf.numberToHclTerraform(struct!.internalPort),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    protocol: {
      value: cdktf.stringToHclTerraform(struct!.protocol),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    check: {
      value: cdktf.listMapperHcl(machineServiceCheckToHclTerraform, true)(struct!.check),
      isBlock: true,
      type: "list",
      storageClassType: "MachineServiceCheckList",
    },
    concurrency: {
      value: cdktf.listMapperHcl(machineServiceConcurrencyToHclTerraform, true)(struct!.concurrency),
      isBlock: true,
      type: "list",
      storageClassType: "MachineServiceConcurrencyList",
    },
    port: {
      value: cdktf.listMapperHcl(machineServicePortToHclTerraform, true)(struct!.port),
      isBlock: true,
      type: "list",
      storageClassType: "MachineServicePortList",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MachineServiceOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): MachineService | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._autostart !== undefined) {
      hasAnyValues = true;
      internalValueResult.autostart = this._autostart;
    }
    if (this._autostop !== undefined) {
      hasAnyValues = true;
      internalValueResult.autostop = this._autostop;
    }
    if (this._internalPort !== undefined) {
      hasAnyValues = true;
      internalValueResult.internalPort = this._internalPort;
    }
    if (this._protocol !== undefined) {
      hasAnyValues = true;
      internalValueResult.protocol = this._protocol;
    }
    if (this._check?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.check = this._check?.internalValue;
    }
    if (this._concurrency?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.concurrency = this._concurrency?.internalValue;
    }
    if (this._port?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.port = this._port?.internalValue;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MachineService | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._autostart = undefined;
      this._autostop = undefined;
      this._internalPort = undefined;
      this._protocol = undefined;
      this._check.internalValue = undefined;
      this._concurrency.internalValue = undefined;
      this._port.internalValue = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._autostart = value.autostart;
      this._autostop = value.autostop;
      this._internalPort = value.internalPort;
      this._protocol = value.protocol;
      this._check.internalValue = value.check;
      this._concurrency.internalValue = value.concurrency;
      this._port.internalValue = value.port;
    }
  }

  // autostart - computed: false, optional: true, required: false
  private _autostart?: boolean | cdktf.IResolvable; 
  public get autostart() {
    return this.getBooleanAttribute('autostart');
  }
  public set autostart(value: boolean | cdktf.IResolvable) {
    this._autostart = value;
  }
  public resetAutostart() {
    this._autostart = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get autostartInput() {
    return this._autostart;
  }

  // autostop - computed: false, optional: true, required: false
  private _autostop?: string; 
  public get autostop() {
    return this.getStringAttribute('autostop');
  }
  public set autostop(value: string) {
    this._autostop = value;
  }
  public resetAutostop() {
    this._autostop = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get autostopInput() {
    return this._autostop;
  }

  // internal_port - computed: false, optional: false, required: true
  private _internalPort?: number; 
  public get internalPort() {
    return this.getNumberAttribute('internal_port');
  }
  public set internalPort(value: number) {
    this._internalPort = value;
  }
  // Temporarily expose input value. Use with caution.
  public get internalPortInput() {
    return this._internalPort;
  }

  // protocol - computed: false, optional: true, required: false
  private _protocol?: string; 
  public get protocol() {
    return this.getStringAttribute('protocol');
  }
  public set protocol(value: string) {
    this._protocol = value;
  }
  public resetProtocol() {
    this._protocol = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get protocolInput() {
    return this._protocol;
  }

  // check - computed: false, optional: true, required: false
  private _check = new MachineServiceCheckList(this, "check", false);
  public get check() {
    return this._check;
  }
  public putCheck(value: MachineServiceCheck[] | cdktf.IResolvable) {
    this._check.internalValue = value;
  }
  public resetCheck() {
    this._check.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get checkInput() {
    return this._check.internalValue;
  }

  // concurrency - computed: false, optional: true, required: false
  private _concurrency = new MachineServiceConcurrencyList(this, "concurrency", false);
  public get concurrency() {
    return this._concurrency;
  }
  public putConcurrency(value: MachineServiceConcurrency[] | cdktf.IResolvable) {
    this._concurrency.internalValue = value;
  }
  public resetConcurrency() {
    this._concurrency.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get concurrencyInput() {
    return this._concurrency.internalValue;
  }

  // port - computed: false, optional: true, required: false
  private _port = new MachineServicePortList(this, "port", false);
  public get port() {
    return this._port;
  }
  public putPort(value: MachineServicePort[] | cdktf.IResolvable) {
    this._port.internalValue = value;
  }
  public resetPort() {
    this._port.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get portInput() {
    return this._port.internalValue;
  }
}

export class MachineServiceList extends cdktf.ComplexList {
  public internalValue? : MachineService[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): MachineServiceOutputReference {
    return new MachineServiceOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}

/**
* Represents a {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine fly_machine}
*/
export class Machine extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "fly_machine";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a Machine resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Machine to import
  * @param importFromId The id of the existing Machine that should be imported. Refer to the {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Machine to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "fly_machine", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/machine fly_machine} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options MachineConfig
  */
  public constructor(scope: Construct, id: string, config: MachineConfig) {
    super(scope, id, {
      terraformResourceType: 'fly_machine',
      terraformGeneratorMetadata: {
        providerName: 'fly',
        providerVersion: '0.2.0',
        providerVersionConstraint: '~> 0.2'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._app = config.app;
    this._desiredState = config.desiredState;
    this._env = config.env;
    this._healthCheckTimeout = config.healthCheckTimeout;
    this._healthCheckUrl = config.healthCheckUrl;
    this._image = config.image;
    this._metadata = config.metadata;
    this._minSecretsVersion = config.minSecretsVersion;
    this._name = config.name;
    this._region = config.region;
    this._check.internalValue = config.check;
    this._container.internalValue = config.container;
    this._file.internalValue = config.file;
    this._guest.internalValue = config.guest;
    this._metrics.internalValue = config.metrics;
    this._mount.internalValue = config.mount;
    this._restart.internalValue = config.restart;
    this._service.internalValue = config.service;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // app - computed: false, optional: false, required: true
  private _app?: string; 
  public get app() {
    return this.getStringAttribute('app');
  }
  public set app(value: string) {
    this._app = value;
  }
  // Temporarily expose input value. Use with caution.
  public get appInput() {
    return this._app;
  }

  // desired_state - computed: false, optional: true, required: false
  private _desiredState?: string; 
  public get desiredState() {
    return this.getStringAttribute('desired_state');
  }
  public set desiredState(value: string) {
    this._desiredState = value;
  }
  public resetDesiredState() {
    this._desiredState = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get desiredStateInput() {
    return this._desiredState;
  }

  // env - computed: false, optional: true, required: false
  private _env?: { [key: string]: string }; 
  public get env() {
    return this.getStringMapAttribute('env');
  }
  public set env(value: { [key: string]: string }) {
    this._env = value;
  }
  public resetEnv() {
    this._env = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get envInput() {
    return this._env;
  }

  // health_check_timeout - computed: false, optional: true, required: false
  private _healthCheckTimeout?: string; 
  public get healthCheckTimeout() {
    return this.getStringAttribute('health_check_timeout');
  }
  public set healthCheckTimeout(value: string) {
    this._healthCheckTimeout = value;
  }
  public resetHealthCheckTimeout() {
    this._healthCheckTimeout = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get healthCheckTimeoutInput() {
    return this._healthCheckTimeout;
  }

  // health_check_url - computed: false, optional: true, required: false
  private _healthCheckUrl?: string; 
  public get healthCheckUrl() {
    return this.getStringAttribute('health_check_url');
  }
  public set healthCheckUrl(value: string) {
    this._healthCheckUrl = value;
  }
  public resetHealthCheckUrl() {
    this._healthCheckUrl = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get healthCheckUrlInput() {
    return this._healthCheckUrl;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // image - computed: false, optional: false, required: true
  private _image?: string; 
  public get image() {
    return this.getStringAttribute('image');
  }
  public set image(value: string) {
    this._image = value;
  }
  // Temporarily expose input value. Use with caution.
  public get imageInput() {
    return this._image;
  }

  // image_digest - computed: true, optional: false, required: false
  public get imageDigest() {
    return this.getStringAttribute('image_digest');
  }

  // instance_id - computed: true, optional: false, required: false
  public get instanceId() {
    return this.getStringAttribute('instance_id');
  }

  // metadata - computed: false, optional: true, required: false
  private _metadata?: { [key: string]: string }; 
  public get metadata() {
    return this.getStringMapAttribute('metadata');
  }
  public set metadata(value: { [key: string]: string }) {
    this._metadata = value;
  }
  public resetMetadata() {
    this._metadata = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get metadataInput() {
    return this._metadata;
  }

  // min_secrets_version - computed: false, optional: true, required: false
  private _minSecretsVersion?: number; 
  public get minSecretsVersion() {
    return this.getNumberAttribute('min_secrets_version');
  }
  public set minSecretsVersion(value: number) {
    this._minSecretsVersion = value;
  }
  public resetMinSecretsVersion() {
    this._minSecretsVersion = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get minSecretsVersionInput() {
    return this._minSecretsVersion;
  }

  // name - computed: true, optional: true, required: false
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  public resetName() {
    this._name = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // private_ip - computed: true, optional: false, required: false
  public get privateIp() {
    return this.getStringAttribute('private_ip');
  }

  // region - computed: true, optional: true, required: false
  private _region?: string; 
  public get region() {
    return this.getStringAttribute('region');
  }
  public set region(value: string) {
    this._region = value;
  }
  public resetRegion() {
    this._region = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get regionInput() {
    return this._region;
  }

  // state - computed: true, optional: false, required: false
  public get state() {
    return this.getStringAttribute('state');
  }

  // check - computed: false, optional: true, required: false
  private _check = new MachineCheckList(this, "check", false);
  public get check() {
    return this._check;
  }
  public putCheck(value: MachineCheck[] | cdktf.IResolvable) {
    this._check.internalValue = value;
  }
  public resetCheck() {
    this._check.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get checkInput() {
    return this._check.internalValue;
  }

  // container - computed: false, optional: true, required: false
  private _container = new MachineContainerList(this, "container", false);
  public get container() {
    return this._container;
  }
  public putContainer(value: MachineContainer[] | cdktf.IResolvable) {
    this._container.internalValue = value;
  }
  public resetContainer() {
    this._container.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get containerInput() {
    return this._container.internalValue;
  }

  // file - computed: false, optional: true, required: false
  private _file = new MachineFileList(this, "file", false);
  public get file() {
    return this._file;
  }
  public putFile(value: MachineFile[] | cdktf.IResolvable) {
    this._file.internalValue = value;
  }
  public resetFile() {
    this._file.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get fileInput() {
    return this._file.internalValue;
  }

  // guest - computed: false, optional: true, required: false
  private _guest = new MachineGuestOutputReference(this, "guest");
  public get guest() {
    return this._guest;
  }
  public putGuest(value: MachineGuest) {
    this._guest.internalValue = value;
  }
  public resetGuest() {
    this._guest.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get guestInput() {
    return this._guest.internalValue;
  }

  // metrics - computed: false, optional: true, required: false
  private _metrics = new MachineMetricsOutputReference(this, "metrics");
  public get metrics() {
    return this._metrics;
  }
  public putMetrics(value: MachineMetrics) {
    this._metrics.internalValue = value;
  }
  public resetMetrics() {
    this._metrics.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get metricsInput() {
    return this._metrics.internalValue;
  }

  // mount - computed: false, optional: true, required: false
  private _mount = new MachineMountList(this, "mount", false);
  public get mount() {
    return this._mount;
  }
  public putMount(value: MachineMount[] | cdktf.IResolvable) {
    this._mount.internalValue = value;
  }
  public resetMount() {
    this._mount.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get mountInput() {
    return this._mount.internalValue;
  }

  // restart - computed: false, optional: true, required: false
  private _restart = new MachineRestartOutputReference(this, "restart");
  public get restart() {
    return this._restart;
  }
  public putRestart(value: MachineRestart) {
    this._restart.internalValue = value;
  }
  public resetRestart() {
    this._restart.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get restartInput() {
    return this._restart.internalValue;
  }

  // service - computed: false, optional: true, required: false
  private _service = new MachineServiceList(this, "service", false);
  public get service() {
    return this._service;
  }
  public putService(value: MachineService[] | cdktf.IResolvable) {
    this._service.internalValue = value;
  }
  public resetService() {
    this._service.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get serviceInput() {
    return this._service.internalValue;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      app: cdktf.stringToTerraform(this._app),
      desired_state: cdktf.stringToTerraform(this._desiredState),
      env: cdktf.hashMapper(cdktf.stringToTerraform)(this._env),
      health_check_timeout: cdktf.stringToTerraform(this._healthCheckTimeout),
      health_check_url: cdktf.stringToTerraform(this._healthCheckUrl),
      image: cdktf.stringToTerraform(this._image),
      metadata: cdktf.hashMapper(cdktf.stringToTerraform)(this._metadata),
      min_secrets_version: cdktf.numberToTerraform(this._minSecretsVersion),
      name: cdktf.stringToTerraform(this._name),
      region: cdktf.stringToTerraform(this._region),
      check: cdktf.listMapper(machineCheckToTerraform, true)(this._check.internalValue),
      container: cdktf.listMapper(machineContainerToTerraform, true)(this._container.internalValue),
      file: cdktf.listMapper(machineFileToTerraform, true)(this._file.internalValue),
      guest: machineGuestToTerraform(this._guest.internalValue),
      metrics: machineMetricsToTerraform(this._metrics.internalValue),
      mount: cdktf.listMapper(machineMountToTerraform, true)(this._mount.internalValue),
      restart: machineRestartToTerraform(this._restart.internalValue),
      service: cdktf.listMapper(machineServiceToTerraform, true)(this._service.internalValue),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      app: {
        value: cdktf.stringToHclTerraform(this._app),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      desired_state: {
        value: cdktf.stringToHclTerraform(this._desiredState),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      env: {
        value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._env),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      health_check_timeout: {
        value: cdktf.stringToHclTerraform(this._healthCheckTimeout),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      health_check_url: {
        value: cdktf.stringToHclTerraform(this._healthCheckUrl),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      image: {
        value: cdktf.stringToHclTerraform(this._image),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      metadata: {
        value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._metadata),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      min_secrets_version: {
        value: cdktf.numberToHclTerraform(this._minSecretsVersion),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      region: {
        value: cdktf.stringToHclTerraform(this._region),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      check: {
        value: cdktf.listMapperHcl(machineCheckToHclTerraform, true)(this._check.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "MachineCheckList",
      },
      container: {
        value: cdktf.listMapperHcl(machineContainerToHclTerraform, true)(this._container.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "MachineContainerList",
      },
      file: {
        value: cdktf.listMapperHcl(machineFileToHclTerraform, true)(this._file.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "MachineFileList",
      },
      guest: {
        value: machineGuestToHclTerraform(this._guest.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "MachineGuest",
      },
      metrics: {
        value: machineMetricsToHclTerraform(this._metrics.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "MachineMetrics",
      },
      mount: {
        value: cdktf.listMapperHcl(machineMountToHclTerraform, true)(this._mount.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "MachineMountList",
      },
      restart: {
        value: machineRestartToHclTerraform(this._restart.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "MachineRestart",
      },
      service: {
        value: cdktf.listMapperHcl(machineServiceToHclTerraform, true)(this._service.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "MachineServiceList",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
