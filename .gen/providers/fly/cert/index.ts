// https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/cert
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface CertConfig extends cdktf.TerraformMetaArguments {
  /**
  * Application name the cert belongs to.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/cert#app Cert#app}
  */
  readonly app: string;
  /**
  * Hostname the cert is issued for (e.g. "staging.example.com"). Wildcard certs (`*.example.com`) are supported when DNS-01 ownership verification is configured.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/cert#hostname Cert#hostname}
  */
  readonly hostname: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/cert fly_cert}
*/
export class Cert extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "fly_cert";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a Cert resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Cert to import
  * @param importFromId The id of the existing Cert that should be imported. Refer to the {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/cert#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Cert to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "fly_cert", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs/resources/cert fly_cert} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options CertConfig
  */
  public constructor(scope: Construct, id: string, config: CertConfig) {
    super(scope, id, {
      terraformResourceType: 'fly_cert',
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
    this._hostname = config.hostname;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // a_records - computed: true, optional: false, required: false
  public get aRecords() {
    return this.getListAttribute('a_records');
  }

  // aaaa_records - computed: true, optional: false, required: false
  public get aaaaRecords() {
    return this.getListAttribute('aaaa_records');
  }

  // acme_challenge_name - computed: true, optional: false, required: false
  public get acmeChallengeName() {
    return this.getStringAttribute('acme_challenge_name');
  }

  // acme_challenge_target - computed: true, optional: false, required: false
  public get acmeChallengeTarget() {
    return this.getStringAttribute('acme_challenge_target');
  }

  // alpn_configured - computed: true, optional: false, required: false
  public get alpnConfigured() {
    return this.getBooleanAttribute('alpn_configured');
  }

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

  // cname - computed: true, optional: false, required: false
  public get cname() {
    return this.getStringAttribute('cname');
  }

  // configured - computed: true, optional: false, required: false
  public get configured() {
    return this.getBooleanAttribute('configured');
  }

  // dns_configured - computed: true, optional: false, required: false
  public get dnsConfigured() {
    return this.getBooleanAttribute('dns_configured');
  }

  // dns_provider - computed: true, optional: false, required: false
  public get dnsProvider() {
    return this.getStringAttribute('dns_provider');
  }

  // hostname - computed: false, optional: false, required: true
  private _hostname?: string; 
  public get hostname() {
    return this.getStringAttribute('hostname');
  }
  public set hostname(value: string) {
    this._hostname = value;
  }
  // Temporarily expose input value. Use with caution.
  public get hostnameInput() {
    return this._hostname;
  }

  // http_configured - computed: true, optional: false, required: false
  public get httpConfigured() {
    return this.getBooleanAttribute('http_configured');
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // ownership_app_value - computed: true, optional: false, required: false
  public get ownershipAppValue() {
    return this.getStringAttribute('ownership_app_value');
  }

  // ownership_name - computed: true, optional: false, required: false
  public get ownershipName() {
    return this.getStringAttribute('ownership_name');
  }

  // rate_limited_until - computed: true, optional: false, required: false
  public get rateLimitedUntil() {
    return this.getStringAttribute('rate_limited_until');
  }

  // status - computed: true, optional: false, required: false
  public get status() {
    return this.getStringAttribute('status');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      app: cdktf.stringToTerraform(this._app),
      hostname: cdktf.stringToTerraform(this._hostname),
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
      hostname: {
        value: cdktf.stringToHclTerraform(this._hostname),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
