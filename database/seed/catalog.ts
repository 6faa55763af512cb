/**
 * Reference values of the demo data. The segment, status and type lists mirror the CHECK
 * constraints of database/migrations/0001_create_schema.sql (a unit test keeps them in step).
 */

export const PLAN_CODES = ['starter', 'professional', 'enterprise'] as const;
export type PlanCode = (typeof PLAN_CODES)[number];

export const SEGMENTS = [
  'varejo',
  'saude',
  'educacao',
  'financeiro',
  'tecnologia',
  'industria',
  'servicos',
  'logistica',
  'imobiliario',
  'juridico',
] as const;
export type Segment = (typeof SEGMENTS)[number];

/** Catalog agents have a segment too, or 'geral' when they serve any segment. */
export const AGENT_SEGMENTS = ['geral', ...SEGMENTS] as const;
export type AgentSegment = (typeof AGENT_SEGMENTS)[number];

export const TENANT_STATUSES = ['active', 'inactive', 'suspended'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export const INTEGRATION_TYPES = ['email', 'whatsapp', 'crm', 'calendar'] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

export const EVENT_TYPES = [
  'command_created',
  'command_executed',
  'command_failed',
  'incident',
  'maintenance',
  'aggregation_completed',
  'aggregation_failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const COMMAND_TYPES = ['REPROCESS_QUEUE', 'RESET_TOKEN', 'RESTART_AGENT', 'HEALTH_CHECK'] as const;

export interface CatalogAgent {
  slug: string;
  name: string;
  segment: AgentSegment;
  description: string;
  status: 'active' | 'deprecated';
}

export const AGENT_CATALOG: readonly CatalogAgent[] = [
  {
    slug: 'atendente-virtual',
    name: 'Atendente Virtual',
    segment: 'geral',
    description: 'Atende clientes 24/7 no WhatsApp, chat e e-mail e transfere para um humano quando necessário.',
    status: 'active',
  },
  {
    slug: 'sdr-inteligente',
    name: 'SDR Inteligente',
    segment: 'geral',
    description: 'Qualifica leads de entrada, responde dúvidas comerciais e agenda reuniões com o time de vendas.',
    status: 'active',
  },
  {
    slug: 'agente-de-cobranca',
    name: 'Agente de Cobrança',
    segment: 'financeiro',
    description: 'Negocia débitos em atraso, envia segunda via de boletos e Pix e lembra vencimentos.',
    status: 'active',
  },
  {
    slug: 'agendador-de-consultas',
    name: 'Agendador de Consultas',
    segment: 'saude',
    description: 'Marca, confirma e remarca consultas e exames, reduzindo faltas.',
    status: 'active',
  },
  {
    slug: 'assistente-de-matriculas',
    name: 'Assistente de Matrículas',
    segment: 'educacao',
    description: 'Tira dúvidas de responsáveis e alunos, envia documentos e acompanha a matrícula.',
    status: 'active',
  },
  {
    slug: 'recuperador-de-carrinhos',
    name: 'Recuperador de Carrinhos',
    segment: 'varejo',
    description: 'Aborda clientes que abandonaram o carrinho e oferece condições para concluir a compra.',
    status: 'active',
  },
  {
    slug: 'rastreador-de-entregas',
    name: 'Rastreador de Entregas',
    segment: 'logistica',
    description: 'Informa o status de entregas, trata ocorrências e reagenda tentativas de entrega.',
    status: 'active',
  },
  {
    slug: 'corretor-digital',
    name: 'Corretor Digital',
    segment: 'imobiliario',
    description: 'Apresenta imóveis, filtra interessados por perfil e agenda visitas.',
    status: 'active',
  },
  {
    slug: 'triagem-juridica',
    name: 'Triagem Jurídica',
    segment: 'juridico',
    description: 'Coleta os fatos do caso, classifica a demanda e encaminha ao advogado responsável.',
    status: 'active',
  },
  {
    slug: 'suporte-tecnico-n1',
    name: 'Suporte Técnico N1',
    segment: 'tecnologia',
    description: 'Resolve chamados de primeiro nível com a base de conhecimento e abre tickets quando preciso.',
    status: 'active',
  },
  {
    slug: 'assistente-de-pedidos-b2b',
    name: 'Assistente de Pedidos B2B',
    segment: 'industria',
    description: 'Recebe pedidos de revendedores, consulta estoque e prazos e emite confirmações.',
    status: 'active',
  },
  {
    slug: 'assistente-de-pos-venda',
    name: 'Assistente de Pós-Venda',
    segment: 'servicos',
    description: 'Acompanha a satisfação após o atendimento, coleta NPS e trata reclamações.',
    status: 'active',
  },
  {
    slug: 'faq-bot-legado',
    name: 'FAQ Bot (legado)',
    segment: 'geral',
    description: 'Respostas fixas a perguntas frequentes. Substituído pelo Atendente Virtual.',
    status: 'deprecated',
  },
];

/** Company-name patterns per segment; {n} and {m} are surnames or place names. */
export const COMPANY_PATTERNS: Record<Segment, readonly string[]> = {
  varejo: ['Lojas {n}', 'Magazine {n}', 'Supermercados {n}', 'Empório {n}', '{n} Calçados', '{n} Modas'],
  saude: ['Clínica {n}', 'Hospital {n}', 'Laboratório {n}', 'Odonto {n}', 'Centro Médico {n}', '{n} Saúde'],
  educacao: ['Colégio {n}', 'Escola {n}', 'Instituto {n}', 'Faculdade {n}', '{n} Idiomas', 'Cursos {n}'],
  financeiro: ['{n} Investimentos', '{n} Crédito', 'Financeira {n}', '{n} Seguros', '{n} Contabilidade', 'Cooperativa {n}'],
  tecnologia: ['{n} Tecnologia', '{n} Sistemas', '{n} Software', '{n} Digital', '{n} Cloud', '{n} Dados'],
  industria: ['Indústria {n}', 'Metalúrgica {n}', '{n} Alimentos', '{n} Têxtil', '{n} Plásticos', '{n} Embalagens'],
  servicos: ['{n} Serviços', '{n} Consultoria', 'Agência {n}', '{n} Facilities', '{n} Eventos', '{n} Turismo'],
  logistica: ['Transportadora {n}', '{n} Logística', '{n} Express', '{n} Cargas', '{n} Entregas'],
  imobiliario: ['Imobiliária {n}', '{n} Imóveis', 'Construtora {n}', '{n} Empreendimentos'],
  juridico: ['{n} Advogados', '{n} & {m} Advogados Associados', '{n} Sociedade de Advogados'],
};

/** Relative frequency of each segment among the demo tenants. */
export const SEGMENT_WEIGHTS: Record<Segment, number> = {
  varejo: 18,
  saude: 14,
  educacao: 10,
  financeiro: 10,
  tecnologia: 12,
  industria: 9,
  servicos: 11,
  logistica: 7,
  imobiliario: 5,
  juridico: 4,
};

/** Common Brazilian surnames: faker's pt_BR list is short enough to repeat within one company. */
export const SURNAMES = [
  'Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes',
  'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Almeida', 'Lopes', 'Soares', 'Fernandes', 'Vieira', 'Barbosa',
  'Rocha', 'Dias', 'Nascimento', 'Andrade', 'Moreira', 'Nunes', 'Marques', 'Machado', 'Mendes', 'Freitas',
  'Cardoso', 'Ramos', 'Gonçalves', 'Santana', 'Teixeira', 'Araújo', 'Pinto', 'Correia', 'Moura', 'Cavalcanti',
  'Monteiro', 'Batista', 'Campos', 'Barros', 'Farias', 'Castro', 'Miranda', 'Azevedo', 'Duarte', 'Tavares',
  'Coelho', 'Pires', 'Borges', 'Fonseca', 'Siqueira', 'Queiroz', 'Guimarães', 'Prado', 'Sampaio', 'Brito',
  'Medeiros', 'Rezende', 'Bezerra', 'Xavier', 'Sales', 'Aguiar', 'Peixoto', 'Macedo', 'Nogueira', 'Toledo',
  'Yamamoto', 'Nakamura', 'Haddad', 'Abdalla', 'Schmidt', 'Müller', 'Rossi', 'Ferraz', 'Bittencourt', 'Vasconcelos',
] as const;

export const PLACE_NAMES = [
  'Santa Clara', 'São Jorge', 'Vale Verde', 'Boa Vista', 'Horizonte', 'Bela Vista', 'Primavera',
  'Aliança', 'Paulista', 'Atlântico', 'Ipiranga', 'Cruzeiro', 'Bandeirantes', 'Planalto', 'Pampa',
] as const;

export const CITIES = [
  ['São Paulo', 'SP'], ['Rio de Janeiro', 'RJ'], ['Belo Horizonte', 'MG'], ['Curitiba', 'PR'],
  ['Porto Alegre', 'RS'], ['Salvador', 'BA'], ['Recife', 'PE'], ['Fortaleza', 'CE'], ['Brasília', 'DF'],
  ['Goiânia', 'GO'], ['Campinas', 'SP'], ['Florianópolis', 'SC'], ['Manaus', 'AM'], ['Belém', 'PA'],
  ['Vitória', 'ES'], ['Natal', 'RN'], ['Joinville', 'SC'], ['Ribeirão Preto', 'SP'], ['Uberlândia', 'MG'],
  ['Sorocaba', 'SP'],
] as const;

export const INTEGRATION_NAMES: Record<IntegrationType, readonly string[]> = {
  email: ['Gmail', 'Microsoft 365', 'Amazon SES', 'Zoho Mail'],
  whatsapp: ['WhatsApp Business Platform', 'Twilio WhatsApp', 'Z-API', 'Blip'],
  crm: ['RD Station CRM', 'HubSpot', 'Pipedrive', 'Salesforce', 'Ploomes'],
  calendar: ['Google Agenda', 'Outlook Calendar', 'Calendly'],
};

export const INTEGRATION_ERRORS: Record<IntegrationType, readonly string[]> = {
  email: [
    'Falha de autenticação SMTP (535): credenciais inválidas ou senha de app revogada.',
    'Token OAuth expirado; reautorize a conta de e-mail.',
    'Caixa de saída bloqueada pelo provedor por excesso de envios.',
  ],
  whatsapp: [
    'Token de acesso da API do WhatsApp expirado (código 190).',
    'Número desconectado: escaneie o QR Code novamente.',
    'Limite de mensagens do modelo excedido para o número comercial.',
  ],
  crm: [
    'API do CRM respondeu 401: chave de integração revogada.',
    'Limite de requisições da API do CRM excedido (429); nova tentativa agendada.',
    'Campo obrigatório "telefone" ausente no mapeamento de contatos.',
  ],
  calendar: [
    'Permissão de acesso à agenda revogada pelo usuário.',
    'Conflito de fuso horário: agenda configurada fora de America/Sao_Paulo.',
  ],
};

export interface IncidentTemplate {
  title: string;
  description: string;
}

export const TENANT_INCIDENTS: readonly IncidentTemplate[] = [
  { title: 'Taxa de erro elevada no agente {agent}', description: 'A taxa de falhas passou de 10% na última hora; respostas com timeout do provedor de LLM.' },
  { title: 'Latência acima do SLA no agente {agent}', description: 'Tempo médio de resposta acima de 3 s por mais de 15 minutos.' },
  { title: 'Falha de sincronização com {integration}', description: 'A integração parou de sincronizar; mensagens ficaram na fila de reprocessamento.' },
  { title: 'Fila de mensagens acumulada', description: 'Mais de 500 mensagens pendentes na fila do tenant; consumo abaixo do esperado.' },
  { title: 'Consumo próximo do limite do plano', description: 'O tenant atingiu 90% das requisições mensais contratadas.' },
];

export const PLATFORM_INCIDENTS: readonly IncidentTemplate[] = [
  { title: 'Instabilidade no provedor de LLM', description: 'Aumento de timeouts nas chamadas ao modelo; tráfego redirecionado para a região secundária.' },
  { title: 'Degradação na API do WhatsApp (Meta)', description: 'Entregas de mensagens atrasadas em até 10 minutos para todos os tenants.' },
  { title: 'Atraso na agregação diária de métricas', description: 'A agregação noturna terminou com atraso; painéis de uso desatualizados por algumas horas.' },
  { title: 'Erro de autenticação intermitente', description: 'Parte dos logins falhou durante a rotação de chaves do provedor de identidade.' },
];

export const MAINTENANCE_WINDOWS: readonly IncidentTemplate[] = [
  { title: 'Manutenção programada do banco de dados', description: 'Atualização de versão menor do Aurora PostgreSQL, com até 5 minutos de indisponibilidade.' },
  { title: 'Atualização dos modelos de linguagem', description: 'Troca da versão do modelo padrão dos agentes; sem indisponibilidade prevista.' },
  { title: 'Renovação de certificados', description: 'Renovação dos certificados TLS dos domínios da plataforma.' },
];
