// Module KMC — see README "Architecture".
