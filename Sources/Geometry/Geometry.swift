// Module Geometry — crystal geometry of cekmc, shared by KMC (lattice sites of a whole wire) and MD
// (bulk supercells and small nanowires as atom lists). Depends only on CekmcCore.
//
//  CrystalSpec.swift     lattice parameters, validation, the stacking construction (read its header)
//  Stacking.swift        index arithmetic of close-packed layers and their holes
//  SiteList.swift        SiteKind, LatticeBox, flat per-site storage grouped by kind
//  BulkCell.swift        periodic bulk supercells (orthorhombic, hexagonal, cubic settings)
//  Wire.swift            cylinder carving, surface flags, shell (adsorption) sites
//  NeighborTable.swift   CSR neighbour tables: cell list (O(N)) and brute-force oracle
//  StandardShells.swift  the named neighbour shells of the KMC model and their distance windows
//  ExtendedXYZ.swift     the one extended-XYZ reader/writer (ASE/OVITO); MD and KMC adapt their data to it
