// https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface FlyProviderConfig {
  /**
  * Fly.io API token. Defaults to the FLY_API_TOKEN environment variable.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs#api_token FlyProvider#api_token}
  */
  readonly apiToken?: string;
  /**
  * Override the Machines API server URL, without the `/v1` path — e.g. `http://_api.internal:4280` from inside a Fly machine. Defaults to `https://api.machines.dev`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs#base_url FlyProvider#base_url}
  */
  readonly baseUrl?: string;
  /**
  * Fly.io organization slug.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs#org_slug FlyProvider#org_slug}
  */
  readonly orgSlug: string;
  /**
  * Alias name
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs#alias FlyProvider#alias}
  */
  readonly alias?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs fly}
*/
export class FlyProvider extends cdktf.TerraformProvider {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "fly";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a FlyProvider resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the FlyProvider to import
  * @param importFromId The id of the existing FlyProvider that should be imported. Refer to the {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the FlyProvider to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "fly", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/ampbase-io/fly/0.2.0/docs fly} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options FlyProviderConfig
  */
  public constructor(scope: Construct, id: string, config: FlyProviderConfig) {
    super(scope, id, {
      terraformResourceType: 'fly',
      terraformGeneratorMetadata: {
        providerName: 'fly',
        providerVersion: '0.2.0',
        providerVersionConstraint: '~> 0.2'
      },
      terraformProviderSource: 'ampbase-io/fly'
    });
    this._apiToken = config.apiToken;
    this._baseUrl = config.baseUrl;
    this._orgSlug = config.orgSlug;
    this._alias = config.alias;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // api_token - computed: false, optional: true, required: false
  private _apiToken?: string; 
  public get apiToken() {
    return this._apiToken;
  }
  public set apiToken(value: string | undefined) {
    this._apiToken = value;
  }
  public resetApiToken() {
    this._apiToken = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get apiTokenInput() {
    return this._apiToken;
  }

  // base_url - computed: false, optional: true, required: false
  private _baseUrl?: string; 
  public get baseUrl() {
    return this._baseUrl;
  }
  public set baseUrl(value: string | undefined) {
    this._baseUrl = value;
  }
  public resetBaseUrl() {
    this._baseUrl = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get baseUrlInput() {
    return this._baseUrl;
  }

  // org_slug - computed: false, optional: false, required: true
  private _orgSlug?: string; 
  public get orgSlug() {
    return this._orgSlug;
  }
  public set orgSlug(value: string | undefined) {
    this._orgSlug = value;
  }
  // Temporarily expose input value. Use with caution.
  public get orgSlugInput() {
    return this._orgSlug;
  }

  // alias - computed: false, optional: true, required: false
  private _alias?: string; 
  public get alias() {
    return this._alias;
  }
  public set alias(value: string | undefined) {
    this._alias = value;
  }
  public resetAlias() {
    this._alias = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get aliasInput() {
    return this._alias;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      api_token: cdktf.stringToTerraform(this._apiToken),
      base_url: cdktf.stringToTerraform(this._baseUrl),
      org_slug: cdktf.stringToTerraform(this._orgSlug),
      alias: cdktf.stringToTerraform(this._alias),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      api_token: {
        value: cdktf.stringToHclTerraform(this._apiToken),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      base_url: {
        value: cdktf.stringToHclTerraform(this._baseUrl),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      org_slug: {
        value: cdktf.stringToHclTerraform(this._orgSlug),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      alias: {
        value: cdktf.stringToHclTerraform(this._alias),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
