## Consoles
product-name = partnerd
console-partner = Console Ventes partenaires
console-admin = Console d'administration
console-support = Portail du service client
consoles-label = Consoles
skip-to-content = Aller au contenu

## Sign-in
signin-title = Connexion
signin-intro = Utilisez votre compte partnerd. Une seule connexion pour toutes les consoles.
signin-email = Adresse e-mail
signin-password = Mot de passe
signin-button = Se connecter
signin-failed = Adresse e-mail ou mot de passe incorrect. Réessayez.
signin-throttled = Trop de tentatives infructueuses. Patientez quelques minutes, puis réessayez.
signin-suspended = Ce compte est suspendu. Contactez votre administrateur.
signin-missing-email = Saisissez une adresse e-mail.
signin-missing-password = Saisissez un mot de passe.
signin-expired = Votre session a pris fin. Reconnectez-vous.

## Accounts
accounts-title = Choisir un compte
accounts-intro = Vous êtes connecté à ces comptes dans ce navigateur.
accounts-use = Utiliser { $email }
accounts-add = Utiliser un autre compte
signed-in-as = Connecté en tant que { $email }
account-label = Compte
switch-account = Changer de compte
signout = Se déconnecter
signout-all = Se déconnecter de tous les comptes

## Password change
password-title = Changer de mot de passe
password-intro = Votre administrateur vous demande de choisir un nouveau mot de passe avant de continuer.
password-new = Nouveau mot de passe
password-confirm = Confirmer le nouveau mot de passe
password-rule = 8 à 100 caractères : lettres, chiffres et symboles de l'alphabet latin de base.
password-button = Changer le mot de passe
password-mismatch = Les mots de passe ne correspondent pas.
password-same = Choisissez un mot de passe que vous n'avez pas encore utilisé ici.

## Home and entry points
home-title = Bienvenue
home-intro = Choisissez où aller.
home-none = Ce compte n'a accès à aucune console. Demandez un rôle à votre administrateur.
partner-intro = Gérez les clients de { $account } : créez et importez des clients, commandez et modifiez des abonnements.
partner-refused = Ce compte ne dispose d'aucun droit de revendeur. Demandez à un administrateur revendeur un rôle donnant accès aux clients.
admin-intro = Gérez { $account } : utilisateurs, unités organisationnelles, rôles d'administrateur, licences et paramètres du compte.
admin-refused = Ce compte n'a aucun rôle d'administrateur. Demandez-en un à un super-administrateur de { $account }.
support-intro = Ouvrez et suivez les demandes d'assistance des clients de { $account }.
support-refused = Ce compte ne peut pas utiliser le Portail du service client. Il lui faut le rôle Administrateur revendeur, ou un rôle avec Afficher les clients et Accéder aux demandes d'assistance des clients.
customers-count = Clients : { $count }

## Language
language-label = Langue
language-button = Changer de langue

## Errors
error-title = Un problème est survenu
error-forbidden-title = Accès refusé
error-forbidden = Vous ne pouvez pas ouvrir cette page avec le compte que vous utilisez.
error-not-found-title = Page introuvable
error-not-found = Cette page n'existe pas.
error-internal = Le serveur n'a pas pu répondre. Réessayez dans un instant.
error-csrf = Ce formulaire a été envoyé depuis un autre site ou a expiré. Rouvrez la page et envoyez-le de nouveau.
error-home = Aller à la page d'accueil

## E-mail
mail-greeting = Bonjour { $name },
mail-password-changed-subject = Votre mot de passe a été modifié
mail-password-changed-body = Le mot de passe de { $email } a été modifié le { $date }. Si vous n'êtes pas à l'origine de ce changement, demandez dès maintenant à votre administrateur de le réinitialiser.
mail-signature = — partnerd

## Partner Sales Console: customers
customers-title = Clients
customers-search = Rechercher
customers-search-hint = Nom ou domaine, depuis le début.
customers-type = Type de client
customers-type-all = Tous
customers-type-domain = Client d'un domaine
customers-type-team = Client dans une équipe
customers-sort = Trier par
customers-sort-domain = Domaine
customers-sort-name = Nom
customers-sort-newest = Date de création, du plus récent au plus ancien
customers-apply = Appliquer
customers-col-name = Nom
customers-col-domain = Domaine
customers-col-type = Type
customers-col-created = Date de création
customers-cloud-id = ID Cloud Identity { $id }
customers-none = Aucun client ne correspond.
customers-next = Page suivante
customers-first = Première page

## Partner Sales Console: a customer
customer-title = Client
customer-info = Informations sur le client
customer-contact = Nom du contact
customer-alternate-email = Adresse e-mail secondaire
customer-phone = Numéro de téléphone
customer-country = Pays
customer-subscriptions = Abonnements
customer-no-subscriptions = Aucun abonnement pour l'instant.
badge-domain-verified = Domaine validé
badge-domain-unverified = Domaine non validé
badge-tos-pending = Conditions d'utilisation pas encore acceptées
badge-access-off = Accès revendeur désactivé
col-product = Produit
col-plan = Forfait
col-seats = Licences
col-status = État
col-renewal = Date de renouvellement
col-when = Date
col-who = Modifié par
col-what = Modification
plan-annual-monthly = Forfait annuel (paiement mensuel)
plan-annual-yearly = Forfait annuel (paiement annuel)
plan-flexible = Forfait flexible
plan-trial = Essai
plan-free = Sans frais
status-active = Actif
status-suspended = Suspendu
status-cancelled = Résilié
reason-pending-tos = En attente de l'acceptation des conditions d'utilisation par le client
reason-renewal-cancel = Terminé au renouvellement
reason-reseller = Suspendu par le revendeur
reason-trial-ended = Essai terminé
reason-other = Suspendu par Google
order-history = Historique des commandes
order-history-none = Aucune commande pour l'instant.
order-history-older = Entrées plus anciennes

## Platform time
platform-time = Heure de la plateforme : { $date } (l'horloge a été déplacée)

## Partner Sales Console: settings
settings-title = Paramètres
settings-account = Informations sur le compte
settings-public-id = ID public du revendeur
settings-public-id-hint = Un client qui passe chez vous saisit cet ID lorsqu'il génère un jeton de transfert dans sa console d'administration.
settings-notifications = Notifications du revendeur
settings-topic = Sujet
settings-registered = Comptes de service enregistrés
settings-none-registered = Aucun

## Forms
form-required = Saisissez une valeur.
form-duplicate = Cette valeur est déjà utilisée.
form-invalid = Cette valeur n'est pas acceptée : { $detail }
form-problems = Le formulaire n'a pas pu être envoyé :

## Partner Sales Console: create and import
create-link = Créer un client
create-title = Créer un client
create-product-family = Famille de produits principale
create-product-workspace = Google Workspace
create-product-hint = Vous pourrez ensuite commander Google Workspace, Google Workspace Additional Storage et d'autres abonnements gérés dans la console d'administration Google.
create-organization = Informations sur l'organisation
create-type-domain-hint = Pour les abonnements Google Workspace ou Cloud Identity.
create-type-team-hint = Pour Essentials ou Enterprise Essentials, à condition que le client valide son compte à l'aide de son adresse e-mail, et non de son domaine.
create-team-considerations = Remarques à l'intention des clients dans une équipe
create-team-note-only = Sélectionnez Client dans une équipe uniquement si vous commandez Essentials ou Enterprise Essentials et que le client valide son compte à l'aide de son adresse e-mail, et non de son domaine.
create-team-note-vault = Un client disposant d'un compte validé par adresse e-mail ne peut pas acheter d'autres services Google Workspace, comme Google Vault, à moins qu'il ne valide son domaine.
create-team-note-names = Plusieurs équipes peuvent acheter Essentials. Si les équipes ont utilisé le même nom de client, la console affiche l'ID Cloud Identity unique.
create-education = Établissement d'enseignement
create-education-hint = Pour les écoles et l'enseignement supérieur.
create-organization-name = Nom de l'organisation
create-domain = Domaine
create-domain-hint = Le domaine enregistré du client, sans www.
create-primary-email = Adresse e-mail
create-primary-email-hint = Client d'un domaine : super-administrateur sur le domaine principal (vide : admin@ et le domaine). Client dans une équipe : l'adresse e-mail de l'administrateur de l'équipe.
create-crm-id = ID CRM
create-crm-id-hint = Facultatif : l'ID du client dans votre système de CRM.
create-contact = Coordonnées
create-contact-hint = Saisissez les informations pour créer le compte administrateur.
create-contact-name = Nom du contact
create-address = Ligne d'adresse
create-locality = Localité
create-postal-code = Code postal
create-country = Pays
create-country-choose = Choisissez un pays
create-country-hint = Seuls les pays où Google Workspace peut être revendu.
create-alternate-email = Adresse secondaire
create-alternate-email-hint = Les notifications et les informations concernant les mots de passe sont envoyées à l'adresse e-mail et à l'adresse secondaire. Saisissez une adresse e-mail qui n'utilise pas le domaine principal du client. Non obligatoire pour les clients dans une équipe.
create-phone = Numéro de téléphone
create-phone-hint = Commençant par + et l'indicatif du pays.
create-button = Créer
create-error-domain = Saisissez un domaine enregistré comme example.com, sans www.
create-error-primary = Saisissez une adresse e-mail valide : pour un client d'un domaine sur son domaine, et jamais une adresse de votre revendeur.
create-error-alternate = Saisissez une adresse e-mail valide qui n'utilise pas le domaine du client.
create-error-phone = Saisissez un vrai numéro de téléphone commençant par + et l'indicatif du pays.
create-error-postal = Saisissez un code postal du pays choisi.
create-error-country = Choisissez un pays dans la liste.
create-error-crm = Utilisez 64 caractères au plus.
created-title = Client créé
created-intro = { $name } a été ajouté à vos clients. Le champ "État de l'abonnement" reste vide jusqu'à ce que vous passiez une commande.
created-credentials = Première connexion
created-username = Nom d'utilisateur
created-password = Mot de passe temporaire
created-password-note = Affiché uniquement maintenant. Le super-administrateur doit le changer à la première connexion. Il a aussi été envoyé par e-mail à { $email }.
created-purchase = Acheter
created-close = Liste de clients
created-open = Ouvrir la page du client
import-link = Importer un client
import-title = Importer un client
import-intro = Importez un client qui travaille actuellement avec Google ou un autre revendeur : son super-administrateur génère un jeton de transfert pour votre ID de revendeur dans sa console d'administration.
import-consent = Avant de commencer : obtenez le consentement d'achat du client pour les groupes de produits que vous achetez en son nom. Sans lui, le client ne peut pas vous être transféré.
import-existing = Un client avec le domaine { $name } existe déjà chez Google ou un autre revendeur. Pour vous le transférer, saisissez le jeton de transfert généré par son super-administrateur.
import-domain = Domaine
import-token = Jeton de transfert
import-token-hint = Le code que le super-administrateur du client a copié depuis Récupérer le jeton de transfert.
import-button = Importer
import-subscriptions = Abonnements à transférer
import-subscriptions-intro = Les abonnements transférés deviennent de nouveaux abonnements qui vous sont facturés. Choisissez un forfait pour chacun, et au moins les licences que le client utilise aujourd'hui.
import-current-plan = Forfait actuel
import-new-plan = Nouveau forfait
import-minimum = Au moins { $count }
import-moves-along = Transféré avec Google Workspace
import-confirm = Confirmer le transfert
import-done-title = Client importé
import-done-intro = { $name } est désormais votre client. Ces abonnements ont été transférés :
import-nothing = Le jeton est valide, mais le client n'a aucun abonnement que vous pouvez transférer.
import-token-unknown = Ce jeton de transfert n'est pas valide. Vérifiez que vous l'avez copié en entier, ou demandez-en un nouveau au super-administrateur du client.
import-token-expired = Ce jeton de transfert a expiré. Demandez-en un nouveau au super-administrateur du client.
import-token-other-reseller = Ce jeton de transfert a été généré pour un autre revendeur. Le super-administrateur du client doit saisir votre ID de revendeur { $id } en le générant.
import-token-other-customer = Ce jeton de transfert appartient à un autre client. Vérifiez le domaine.
import-no-customer = Aucun client n'a ce domaine. Créez-le plutôt comme nouveau client.
import-already-yours = Ce client est déjà le vôtre.
import-error-plan = Choisissez l'un des forfaits proposés.
import-error-seats = Saisissez au moins le nombre minimal de licences.
mail-welcome-subject = Bienvenue dans le compte Google Workspace de { $name }
mail-welcome-body = Un compte administrateur a été créé pour { $name }. Connectez-vous avec ces informations et choisissez un nouveau mot de passe à la première connexion.
mail-welcome-username = Nom d'utilisateur : { $email }
mail-welcome-password = Mot de passe temporaire : { $id }
mail-welcome-signin = Connexion : { $id }
mail-welcome-change = Acceptez ensuite les conditions d'utilisation pour que vos abonnements puissent démarrer.
