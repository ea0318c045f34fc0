# Terraform 1.14 and later, in a .tfquery.hcl file: `terraform query` lists
# every notification integration on the server; with `-generate-config-out=FILE` it writes a
# resource block and an import block (by identity) for each.
list "jetbackup_notification_integration" "all" {
  provider         = jetbackup
  include_resource = true
}

# Only some of them: the arguments of `config` are optional filters.
list "jetbackup_notification_integration" "some" {
  provider = jetbackup
  config {
    type     = "email"
    disabled = false
  }
}
