// Parameter types shared by main.bicep and the modules.

@export()
@description('A federation whose staff may upload to landing/{id}/ and read their own rejection reports in quarantine/{id}/.')
type federationAccess = {
  @description('The federation_id of reference/federations.csv: lowercase letters, digits and hyphens, e.g. aspdalen.')
  @minLength(1)
  @maxLength(63)
  id: string

  @description('Object id of the Entra group (or user) of the federation\'s staff who upload its exports.')
  principalId: string

  @description('Group (default), User or ServicePrincipal.')
  principalType: ('Group' | 'User' | 'ServicePrincipal')?
}
